"use client";
// Admin controls of a camera: change it, decide who sees it, delete it.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, errorMessage, type FieldErrors } from "@/app/_components/api";
import { Form } from "@/app/_components/hydrated";
import { FormMessage, PasswordField, TextField } from "@/app/_components/fields";
import { useT } from "@/lib/i18n/client";

type Camera = { id: string; name: string; isEnabled: boolean; mainStreamUrl: string; subStreamUrl: string | null; retentionDays: number; hasCredentials: boolean; onvifUrl: string | null; hasPtz: boolean };
type Member = { id: string; email: string; displayName: string | null; role: string; hasAccess: boolean };

export function CameraAdmin({ camera, members }: { camera: Camera; members: Member[] }) {
  return (
    <div className="mt-6 grid gap-6 lg:grid-cols-2">
      <EditCamera camera={camera} />
      <div className="space-y-6">
        <AccessForm cameraId={camera.id} members={members} />
        {camera.onvifUrl ? <PtzDetect cameraId={camera.id} initial={camera.hasPtz} /> : null}
        <DeleteCamera camera={camera} />
      </div>
    </div>
  );
}

function EditCamera({ camera }: { camera: Camera }) {
  const t = useT();
  const router = useRouter();
  const [fields, setFields] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});

  async function save(form: FormData) {
    setFields({});
    setMessage({});
    const username = String(form.get("username") ?? "");
    const password = String(form.get("password") ?? "");
    const res = await api(`/api/cameras/${camera.id}`, {
      method: "PATCH",
      body: {
        name: form.get("name"),
        isEnabled: form.get("isEnabled") === "on",
        mainStreamUrl: form.get("mainStreamUrl"),
        subStreamUrl: form.get("subStreamUrl"),
        retentionDays: Number(form.get("retentionDays")),
        ...(form.get("clearCredentials") === "on" ? { clearCredentials: true } : username || password ? { username, password } : {}),
      },
    });
    if (!res.ok) {
      setFields(res.error.fields ?? {});
      return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
    }
    setMessage({ success: t("cameras.changed") });
    router.refresh();
  }

  return (
    <section className="card" aria-labelledby="edit-heading">
      <h2 id="edit-heading" className="mb-4 text-lg font-semibold">
        {t("cameras.edit")}
      </h2>
      <Form onSubmit={save} className="space-y-4" noValidate>
        <TextField name="name" label={t("cameras.name")} defaultValue={camera.name} required maxLength={80} error={fields.name?.message} />
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="isEnabled" defaultChecked={camera.isEnabled} className="h-4 w-4" />
          {t("cameras.enabled")}
        </label>
        <TextField name="mainStreamUrl" label={t("cameras.streamUrl")} defaultValue={camera.mainStreamUrl} required error={fields.mainStreamUrl?.message} />
        <TextField name="subStreamUrl" label={t("cameras.subStreamUrl")} defaultValue={camera.subStreamUrl ?? ""} optional error={fields.subStreamUrl?.message} />
        <TextField name="retentionDays" type="number" min={1} max={3650} label={t("cameras.retention")} defaultValue={camera.retentionDays} error={fields.retentionDays?.message} />
        <fieldset className="space-y-3">
          <legend className="label">
            {t("cameras.credentials")}: <span className="font-normal">{camera.hasCredentials ? t("cameras.credentialsStored") : t("cameras.credentialsNone")}</span>
          </legend>
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField name="username" label={t("cameras.cameraUsername")} autoComplete="off" hint={t("cameras.newCredentialsHint")} />
            <PasswordField name="password" label={t("cameras.cameraPassword")} autoComplete="off" />
          </div>
          {camera.hasCredentials ? (
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="clearCredentials" className="h-4 w-4" />
              {t("cameras.clearCredentials")}
            </label>
          ) : null}
        </fieldset>
        <FormMessage error={message.error} success={message.success} />
        <button type="submit" className="btn-primary">
          {t("cameras.saveChanges")}
        </button>
      </Form>
    </section>
  );
}

function AccessForm({ cameraId, members }: { cameraId: string; members: Member[] }) {
  const t = useT();
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});
  async function save(form: FormData) {
    setMessage({});
    const res = await api(`/api/cameras/${cameraId}/access`, { method: "PUT", body: { userIds: form.getAll("userIds").map(String) } });
    if (!res.ok) return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
    setMessage({ success: t("cameras.accessSaved") });
  }
  return (
    <section className="card" aria-labelledby="access-heading">
      <h2 id="access-heading" className="mb-1 text-lg font-semibold">
        {t("cameras.access")}
      </h2>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">{t("cameras.accessIntro")}</p>
      {members.length === 0 ? (
        <p className="text-sm text-zinc-500">{t("cameras.noMembers")}</p>
      ) : (
        <Form onSubmit={save} className="space-y-3">
          <ul className="space-y-2">
            {members.map((m) => (
              <li key={m.id}>
                {/* A long e-mail (an account without a display name shows it twice) breaks anywhere: never wider than a phone. */}
                <label className="flex items-start gap-2 text-sm">
                  <input type="checkbox" name="userIds" value={m.id} defaultChecked={m.hasAccess} className="mt-0.5 h-4 w-4 shrink-0" />
                  <span className="min-w-0 break-all">
                    {m.displayName || m.email}{" "}
                    <span className="text-xs text-zinc-500">
                      {m.email} · {t(`roles.${m.role}`)}
                    </span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
          <FormMessage error={message.error} success={message.success} />
          <button type="submit" className="btn-secondary">
            {t("cameras.saveAccess")}
          </button>
        </Form>
      )}
    </section>
  );
}

/** Whether an ONVIF camera can pan, tilt or zoom, and asking it again (a camera added before, or a new firmware). */
function PtzDetect({ cameraId, initial }: { cameraId: string; initial: boolean }) {
  const t = useT();
  const [hasPtz, setHasPtz] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="card space-y-3" aria-labelledby="ptz-detect-heading">
      <h2 id="ptz-detect-heading" className="text-lg font-semibold">
        {t("ptz.title")}
      </h2>
      <p className="text-sm" data-testid="ptz-detected">
        {hasPtz ? t("ptz.canPtz") : t("ptz.cannotPtz")}
      </p>
      <button
        type="button"
        className="btn-secondary"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          const res = await api<{ hasPtz: boolean }>(`/api/cameras/${encodeURIComponent(cameraId)}/ptz/detect`, { method: "POST" });
          setBusy(false);
          if (!res.ok) return setError(errorMessage(res.error, t("common.somethingWentWrong")));
          setHasPtz(res.data.hasPtz);
        }}
      >
        {t("ptz.detect")}
      </button>
      <FormMessage error={error} />
    </section>
  );
}

function DeleteCamera({ camera }: { camera: Camera }) {
  const t = useT();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function remove(form: FormData) {
    if (!window.confirm(t("cameras.deleteConfirm", { name: camera.name }))) return;
    const res = await api(`/api/cameras/${camera.id}?recordings=${form.get("recordings") === "delete" ? "delete" : "keep"}`, { method: "DELETE" });
    if (!res.ok) return setError(errorMessage(res.error, t("common.somethingWentWrong")));
    router.push("/cameras");
    router.refresh();
  }
  return (
    <section className="card" aria-labelledby="delete-heading">
      <h2 id="delete-heading" className="mb-1 text-lg font-semibold">
        {t("cameras.deleteTitle")}
      </h2>
      <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">{t("cameras.deleteIntro")}</p>
      <Form onSubmit={remove} className="space-y-3">
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="recordings" value="keep" defaultChecked />
          {t("cameras.keepRecordings")}
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="recordings" value="delete" />
          {t("cameras.deleteRecordings")}
        </label>
        <FormMessage error={error} />
        <button type="submit" className="btn-danger">
          {t("cameras.deleteCamera")}
        </button>
      </Form>
    </section>
  );
}
