"use client";
// The add-camera wizard: search the network (ONVIF WS-Discovery), scan an address range, or enter a stream URL.
// A found ONVIF camera is then read with its credentials; a URL is probed; either way the admin names it and adds it.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { api, errorMessage, type FieldErrors } from "@/app/_components/api";
import { Form } from "@/app/_components/hydrated";
import { FormMessage, PasswordField, TextField } from "@/app/_components/fields";
import { useT } from "@/lib/i18n/client";

type Found = { address: string; endpoint: string; xaddrs: string[]; name: string | null; alreadyAdded: boolean; info: { manufacturer?: string; hardware?: string; model?: string } };
type Job = { id: string; status: "running" | "done" | "cancelled" | "failed"; done: number; total: number; found: Found[]; error: string | null };
type Identity = { manufacturer: string; model: string; firmware: string; serial: string; deviceXaddr: string; profiles: { token: string; name: string; width: number; height: number; fps: number | null; streamUri: string }[]; mainToken: string; subToken: string; ptz: { xaddr: string; profileToken: string } | null };
type Probe = { url: string; video: { codec: string; width: number; height: number; fps: number | null }; audio: { codec: string } | null; measured: { bitrateKbps: number; fps: number } | null; playableInBrowser: boolean };

const TABS = ["discover", "range", "manual"] as const;
type Tab = (typeof TABS)[number];

export function AddCameraWizard() {
  const t = useT();
  const [tab, setTab] = useState<Tab>("discover");
  const [selected, setSelected] = useState<Found | null>(null);
  const labels: Record<Tab, string> = { discover: t("cameras.tabDiscover"), range: t("cameras.tabRange"), manual: t("cameras.tabManual") };
  return (
    <div className="space-y-6">
      <div role="tablist" aria-label={t("cameras.addTitle")} className="flex flex-wrap gap-2 border-b border-zinc-200 dark:border-zinc-800">
        {TABS.map((id) => (
          <button
            key={id}
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            onClick={() => {
              setTab(id);
              setSelected(null);
            }}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${tab === id ? "border-brand-600 text-brand-700 dark:text-white" : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400"}`}
          >
            {labels[id]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === "manual" ? <ManualAdd /> : selected ? <OnvifConnect found={selected} onBack={() => setSelected(null)} /> : <Search mode={tab} onSelect={setSelected} />}
      </div>
    </div>
  );
}

function Search({ mode, onSelect }: { mode: "discover" | "range"; onSelect: (f: Found) => void }) {
  const t = useT();
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const jobId = job?.id;
  const running = job?.status === "running";

  // Poll the job while it runs (every 400 ms); stops when it ends or the component goes away.
  useEffect(() => {
    if (!jobId || !running) return;
    const id = setInterval(async () => {
      const next = await api<Job>(`/api/cameras/discovery/${jobId}`);
      if (next.ok) setJob(next.data);
    }, 400);
    return () => clearInterval(id);
  }, [jobId, running]);

  async function start(form: FormData) {
    setError(null);
    setFields({});
    const res = await api<Job>("/api/cameras/discovery", { body: mode === "range" ? { mode: "range", range: form.get("range") } : { mode: "multicast" } });
    if (!res.ok) {
      setFields(res.error.fields ?? {});
      return setError(errorMessage(res.error, t("common.somethingWentWrong")));
    }
    setJob(res.data);
  }

  const percent = job && job.total > 0 ? Math.round((job.done / job.total) * 100) : 0;
  return (
    <section className="card space-y-4" aria-label={mode === "range" ? t("cameras.tabRange") : t("cameras.tabDiscover")}>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{mode === "range" ? t("cameras.rangeIntro") : t("cameras.discoverIntro")}</p>
      <Form onSubmit={start} className="flex flex-wrap items-end gap-3" noValidate>
        {mode === "range" ? (
          <div className="min-w-64 flex-1">
            <TextField name="range" label={t("cameras.range")} placeholder="192.168.1.0/24" required error={fields.range?.message} />
          </div>
        ) : null}
        <button type="submit" className="btn-primary" disabled={running}>
          {running ? t("cameras.searching") : mode === "range" ? t("cameras.scan") : t("cameras.search")}
        </button>
        {running ? (
          <button type="button" className="btn-secondary" onClick={() => job && api(`/api/cameras/discovery/${job.id}`, { method: "DELETE" })}>
            {t("cameras.cancel")}
          </button>
        ) : null}
      </Form>
      <FormMessage error={error ?? (job?.status === "failed" ? job.error : null)} />
      {job ? (
        <div className="space-y-3">
          <div role="progressbar" aria-label={t("cameras.progress")} aria-valuemin={0} aria-valuemax={100} aria-valuenow={job.status === "running" ? percent : 100} className="h-2 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800">
            <div className="h-full bg-brand-600 transition-all" style={{ width: `${job.status === "running" ? percent : 100}%` }} />
          </div>
          <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
            {job.status === "cancelled" ? t("cameras.cancelled") + " " : ""}
            {job.status === "running" ? `${job.done} / ${job.total}` : t("cameras.foundCount", { count: job.found.length })}
          </p>
          {job.found.length > 0 ? (
            <ul className="divide-y divide-zinc-200 dark:divide-zinc-800" aria-label={t("cameras.title")}>
              {job.found.map((f) => (
                <li key={f.endpoint || f.address} className="flex items-center justify-between gap-3 py-3" data-testid={`found-${f.address}`}>
                  <div>
                    <div className="font-medium">{f.name ?? f.address}</div>
                    <div className="text-xs text-zinc-500">
                      {[f.info.manufacturer, f.info.hardware ?? f.info.model].filter(Boolean).join(" ")} · {t("cameras.address")} {f.address}
                    </div>
                  </div>
                  {f.alreadyAdded ? (
                    <span className="text-xs font-medium text-zinc-500">{t("cameras.alreadyAdded")}</span>
                  ) : (
                    <button type="button" className="btn-secondary px-3 py-1" aria-label={`${t("cameras.select")}: ${f.name ?? f.address}`} onClick={() => onSelect(f)} disabled={f.xaddrs.length === 0}>
                      {t("cameras.select")}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function OnvifConnect({ found, onBack }: { found: Found; onBack: () => void }) {
  const t = useT();
  const router = useRouter();
  const [identity, setIdentity] = useState<Identity | null>(null);
  const [creds, setCreds] = useState<{ username: string; password: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const label = found.name ?? found.address;

  async function connect(form: FormData) {
    setBusy(true);
    setError(null);
    const c = { username: String(form.get("username")), password: String(form.get("password")) };
    const res = await api<Identity>("/api/cameras/onvif", { body: { xaddr: found.xaddrs[0], ...c } });
    setBusy(false);
    if (!res.ok) return setError(errorMessage(res.error, t("common.somethingWentWrong")));
    setCreds(c);
    setIdentity(res.data);
  }

  async function add(form: FormData) {
    if (!identity || !creds) return;
    setBusy(true);
    setError(null);
    setFields({});
    const main = identity.profiles.find((p) => p.token === identity.mainToken)!;
    const sub = identity.profiles.find((p) => p.token === identity.subToken);
    const res = await api<{ camera: { id: string } }>("/api/cameras", {
      body: {
        name: form.get("name"),
        mainStreamUrl: main.streamUri,
        subStreamUrl: sub && sub.token !== main.token ? sub.streamUri : null,
        ...creds,
        onvifUrl: identity.deviceXaddr,
        ptz: identity.ptz,
        manufacturer: identity.manufacturer,
        model: identity.model,
        firmware: identity.firmware,
        serial: identity.serial,
      },
    });
    setBusy(false);
    if (!res.ok) {
      setFields(res.error.fields ?? {});
      return setError(errorMessage(res.error, t("common.somethingWentWrong")));
    }
    router.push(`/cameras/${res.data.camera.id}`);
  }

  return (
    <section className="card space-y-4" aria-label={t("cameras.connectTitle", { name: label })}>
      <h2 className="text-lg font-semibold">{t("cameras.connectTitle", { name: label })}</h2>
      {!identity ? (
        <>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("cameras.connectIntro")}</p>
          <Form onSubmit={connect} className="grid gap-4 sm:grid-cols-2" noValidate>
            <TextField name="username" label={t("cameras.cameraUsername")} autoComplete="off" required />
            <PasswordField name="password" label={t("cameras.cameraPassword")} autoComplete="off" />
            <div className="flex gap-2 sm:col-span-2">
              <button type="submit" className="btn-primary" disabled={busy}>
                {busy ? t("cameras.connecting") : t("cameras.connect")}
              </button>
              <button type="button" className="btn-secondary" onClick={onBack}>
                {t("common.cancel")}
              </button>
            </div>
          </Form>
          <FormMessage error={error} />
        </>
      ) : (
        <Form onSubmit={add} className="space-y-4" noValidate>
          <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
            <div>
              <dt className="text-zinc-500">{t("cameras.maker")}</dt>
              <dd data-testid="identified-model">{`${identity.manufacturer} ${identity.model}`}</dd>
            </div>
            <div>
              <dt className="text-zinc-500">{t("cameras.firmware")}</dt>
              <dd>{identity.firmware}</dd>
            </div>
            <div className="sm:col-span-2">
              <dt className="text-zinc-500">{t("cameras.streams")}</dt>
              <dd>
                <ul>
                  {identity.profiles.map((p) => (
                    <li key={p.token}>
                      {t("cameras.streamLine", { name: p.name, width: p.width, height: p.height })}
                      {p.fps ? `, ${t("cameras.fps", { fps: p.fps })}` : ""}
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          </dl>
          <TextField name="name" label={t("cameras.name")} defaultValue={found.name ?? `${identity.manufacturer} ${identity.model}`} required maxLength={80} error={fields.name?.message} />
          <FormMessage error={error} />
          <button type="submit" className="btn-primary" disabled={busy}>
            {busy ? t("cameras.saving") : t("cameras.save")}
          </button>
        </Form>
      )}
    </section>
  );
}

function ManualAdd() {
  const t = useT();
  const router = useRouter();
  const [probe, setProbe] = useState<Probe | null>(null);
  const [busy, setBusy] = useState<"check" | "add" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});

  async function submit(form: FormData, el: HTMLFormElement) {
    const action = (el.dataset.action as "check" | "add") ?? "check";
    setBusy(action);
    setError(null);
    setFields({});
    const creds = { username: String(form.get("username") ?? ""), password: String(form.get("password") ?? "") };
    if (action === "check") {
      setProbe(null);
      const res = await api<Probe>("/api/cameras/probe", { body: { url: form.get("url"), ...creds } });
      setBusy(null);
      if (!res.ok) {
        setFields(res.error.fields ? { url: Object.values(res.error.fields)[0] } : {});
        return setError(errorMessage(res.error, t("common.somethingWentWrong")));
      }
      return setProbe(res.data);
    }
    const res = await api<{ camera: { id: string } }>("/api/cameras", { body: { name: String(form.get("name") || "").trim() || (probe ? new URL(probe.url).host : ""), mainStreamUrl: form.get("url"), subStreamUrl: form.get("subUrl"), ...creds } });
    setBusy(null);
    if (!res.ok) {
      const f = res.error.fields ?? {};
      setFields({ ...f, ...(f.mainStreamUrl ? { url: f.mainStreamUrl } : {}), ...(f.subStreamUrl ? { subUrl: f.subStreamUrl } : {}) });
      return setError(errorMessage(res.error, t("common.somethingWentWrong")));
    }
    router.push(`/cameras/${res.data.camera.id}`);
  }

  return (
    <section className="card space-y-4" aria-label={t("cameras.tabManual")}>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("cameras.manualIntro")}</p>
      <Form
        onSubmit={submit}
        onClick={(e) => {
          const b = (e.target as HTMLElement).closest("button[data-action]") as HTMLButtonElement | null;
          if (b) e.currentTarget.dataset.action = b.dataset.action;
        }}
        className="grid gap-4 sm:grid-cols-2"
        noValidate
      >
        <div className="sm:col-span-2">
          <TextField name="url" label={t("cameras.url")} placeholder={t("cameras.urlPlaceholder")} required onChange={() => setProbe(null)} error={fields.url?.message} />
        </div>
        <TextField name="username" label={t("cameras.cameraUsername")} autoComplete="off" optional />
        <PasswordField name="password" label={t("cameras.cameraPassword")} autoComplete="off" optional />
        <div className="sm:col-span-2">
          <TextField name="subUrl" label={t("cameras.subUrl")} hint={t("cameras.subUrlHint")} optional error={fields.subUrl?.message} />
        </div>
        <TextField name="name" label={t("cameras.name")} placeholder={t("cameras.namePlaceholder")} maxLength={80} error={fields.name?.message} />
        <div className="flex items-end gap-2">
          <button type="submit" data-action="check" className="btn-secondary" disabled={busy !== null}>
            {busy === "check" ? t("cameras.checking") : t("cameras.check")}
          </button>
          <button type="submit" data-action="add" className="btn-primary" disabled={busy !== null || !probe}>
            {busy === "add" ? t("cameras.saving") : t("cameras.save")}
          </button>
        </div>
      </Form>
      <FormMessage error={error} />
      {probe ? (
        <div role="status" className="space-y-2 rounded-lg border border-emerald-200 bg-emerald-50 p-3 text-sm dark:border-emerald-900 dark:bg-emerald-950" data-testid="probe-result">
          <p className="font-medium">{t("cameras.checked")}</p>
          <p>
            {probe.video.codec.toUpperCase()} · {probe.video.width}×{probe.video.height}
            {probe.measured ? ` · ${t("cameras.fps", { fps: probe.measured.fps })} · ${t("cameras.kbps", { kbps: probe.measured.bitrateKbps })}` : probe.video.fps ? ` · ${t("cameras.fps", { fps: probe.video.fps })}` : ""}
            {" · "}
            {t("cameras.audio")}: {probe.audio ? probe.audio.codec : t("cameras.noAudio")}
          </p>
          {!probe.playableInBrowser ? <p className="font-medium text-amber-700 dark:text-amber-400">{t("cameras.codecNotice", { codec: probe.video.codec.toUpperCase() })}</p> : null}
        </div>
      ) : null}
    </section>
  );
}
