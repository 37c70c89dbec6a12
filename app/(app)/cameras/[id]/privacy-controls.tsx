"use client";
// Privacy mode (no recording, no live view), "Record motion events" and "Record sound" (shown when the camera sends
// sound; off by default) for one camera. Everyone who sees the camera
// sees the state; the switches work for those allowed (privacy mode: admins, and members when the household allows
// it; recording: admins).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, errorMessage } from "@/app/_components/api";
import { FormMessage } from "@/app/_components/fields";
import { useT } from "@/lib/i18n/client";

type Props = {
  cameraId: string;
  privacyMode: boolean;
  recordingEnabled: boolean;
  /** The sound codec the probe found (null: the camera sends no sound, and there is no sound switch). */
  audioCodec: string | null;
  recordSound: boolean;
  canSwitchPrivacy: boolean;
  canChangeRecording: boolean;
  privacyModeRole: string;
};

function Switch({ label, hint, checked, disabled, onChange }: { label: string; hint: string; checked: boolean; disabled: boolean; onChange: (v: boolean) => void }) {
  const id = `switch-${label.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <div className="flex items-start justify-between gap-4">
      <div>
        <p id={id} className="text-sm font-medium">
          {label}
        </p>
        <p id={`${id}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      </div>
      <button
        type="button"
        role="switch"
        aria-checked={checked}
        aria-labelledby={id}
        aria-describedby={`${id}-hint`}
        disabled={disabled}
        onClick={() => onChange(!checked)}
        className={`relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500 disabled:cursor-not-allowed disabled:opacity-60 ${checked ? "bg-brand-600" : "bg-zinc-300 dark:bg-zinc-700"}`}
      >
        <span aria-hidden className={`inline-block h-5 w-5 rounded-full bg-white shadow transition-transform ${checked ? "translate-x-5" : "translate-x-0.5"}`} />
      </button>
    </div>
  );
}

export function PrivacyControls(props: Props) {
  const t = useT();
  const router = useRouter();
  const [privacy, setPrivacy] = useState(props.privacyMode);
  const [recording, setRecording] = useState(props.recordingEnabled);
  const [sound, setSound] = useState(props.recordSound);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});

  async function change(path: string, method: string, body: unknown, apply: () => void, success: string) {
    setBusy(true);
    setMessage({});
    const res = await api(path, { method, body });
    setBusy(false);
    if (!res.ok) return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
    apply();
    setMessage({ success });
    router.refresh();
  }

  return (
    <section className="card mb-6" aria-labelledby="privacy-heading">
      <h2 id="privacy-heading" className="mb-4 text-lg font-semibold">
        {t("privacy.mode.title")}
      </h2>
      {privacy ? (
        <p data-testid="privacy-mode-on" className="mb-4 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
          {t("privacy.mode.active")}
        </p>
      ) : null}
      <div className="space-y-4">
        <Switch
          label={t("privacy.mode.privacyMode")}
          hint={t("privacy.mode.privacyHint")}
          checked={privacy}
          disabled={busy || !props.canSwitchPrivacy}
          onChange={(v) => change(`/api/cameras/${props.cameraId}/privacy`, "POST", { enabled: v }, () => setPrivacy(v), v ? t("privacy.mode.on") : t("privacy.mode.off"))}
        />
        {!props.canSwitchPrivacy ? <p className="text-xs text-zinc-500">{props.privacyModeRole === "member" ? t("privacy.mode.onlyAdminsAndMembers") : t("privacy.mode.onlyAdmins")}</p> : null}
        <Switch
          label={t("privacy.mode.recording")}
          hint={t("privacy.mode.recordingHint")}
          checked={recording}
          disabled={busy || !props.canChangeRecording}
          onChange={(v) => change(`/api/cameras/${props.cameraId}`, "PATCH", { recordingEnabled: v }, () => setRecording(v), v ? t("privacy.mode.recordingOn") : t("privacy.mode.recordingOff"))}
        />
        {props.audioCodec || sound ? (
          <Switch
            label={t("privacy.mode.sound")}
            hint={t("privacy.mode.soundHint")}
            checked={sound}
            disabled={busy || !props.canChangeRecording}
            onChange={(v) => change(`/api/cameras/${props.cameraId}`, "PATCH", { recordSound: v }, () => setSound(v), v ? t("privacy.mode.soundOn") : t("privacy.mode.soundOff"))}
          />
        ) : null}
        {sound ? (
          <p data-testid="sound-recorded" className="text-sm text-zinc-700 dark:text-zinc-300">
            {t("privacy.mode.soundActive", { codec: (props.audioCodec ?? "?").toUpperCase() })}
          </p>
        ) : null}
        <FormMessage error={message.error} success={message.success} />
      </div>
    </section>
  );
}
