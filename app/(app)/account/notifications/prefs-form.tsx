"use client";
// The preferences form of Account → Notifications (PUT /api/account/notifications).
import { useState } from "react";
import { api, errorMessage } from "@/app/_components/api";
import { FormMessage } from "@/app/_components/fields";
import type { NotificationPrefs } from "@/lib/notifications/prefs";
import { useT } from "@/lib/i18n/client";

type Props = {
  initial: NotificationPrefs;
  cameras: { id: string; name: string }[];
  modes: { id: string; name: string }[];
  labels: string[];
  email: string;
  emailReady: boolean;
  timeZone: string;
};

function Check({ label, checked, onChange, disabled }: { label: string; checked: boolean; onChange: (v: boolean) => void; disabled?: boolean }) {
  return (
    <label className="flex items-center gap-2 text-sm">
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

/** A list choice: null = all; otherwise the chosen ids. */
function toggle(list: string[] | null, all: string[], id: string, on: boolean): string[] | null {
  const current = list ?? all;
  const next = on ? [...new Set([...current, id])] : current.filter((x) => x !== id);
  return next.length === all.length && all.every((x) => next.includes(x)) ? null : next;
}

export function PrefsForm({ initial, cameras, modes, labels, email, emailReady, timeZone }: Props) {
  const t = useT();
  const [p, setP] = useState<NotificationPrefs>(initial);
  const [msg, setMsg] = useState<{ error?: string; success?: string }>({});
  const set = (change: Partial<NotificationPrefs>) => setP((x) => ({ ...x, ...change }));
  const cameraIds = cameras.map((c) => c.id);
  const modeIds = modes.map((m) => m.id);

  async function save(e: React.FormEvent) {
    e.preventDefault();
    const res = await api<NotificationPrefs>("/api/account/notifications", { method: "PUT", body: p });
    if (res.ok) {
      setP(res.data);
      setMsg({ success: t("notifications.prefs.saved") });
    } else setMsg({ error: errorMessage(res.error, t("errors.internal")) });
  }

  return (
    <form onSubmit={save} className="card max-w-3xl space-y-6" aria-label={t("notifications.prefs.title")}>
      <fieldset className="space-y-2">
        <legend className="mb-2 font-semibold">{t("notifications.prefs.channels")}</legend>
        <Check label={t("notifications.prefs.inApp")} checked={p.channels.inApp} onChange={(v) => set({ channels: { ...p.channels, inApp: v } })} />
        <Check label={t("notifications.prefs.push")} checked={p.channels.push} onChange={(v) => set({ channels: { ...p.channels, push: v } })} />
        <Check label={t("notifications.prefs.pushThumbnail")} checked={p.pushThumbnail} onChange={(v) => set({ pushThumbnail: v })} />
        <Check label={t("notifications.prefs.email", { email })} checked={p.channels.email} onChange={(v) => set({ channels: { ...p.channels, email: v } })} />
        {!emailReady ? <p className="text-xs text-zinc-500">{t("notifications.prefs.emailOff")}</p> : null}
        <Check label={t("notifications.prefs.emailPhoto")} checked={p.emailPhoto} onChange={(v) => set({ emailPhoto: v })} />
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="mb-2 font-semibold">{t("notifications.prefs.cameras")}</legend>
        <Check label={t("notifications.prefs.allCameras")} checked={p.cameraIds === null} onChange={(v) => set({ cameraIds: v ? null : [] })} />
        {cameras.map((c) => (
          <Check key={c.id} label={c.name} checked={p.cameraIds === null || p.cameraIds.includes(c.id)} onChange={(v) => set({ cameraIds: toggle(p.cameraIds, cameraIds, c.id, v) })} />
        ))}
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="mb-2 font-semibold">{t("notifications.prefs.labels")}</legend>
        {labels.map((l) => (
          <Check key={l} label={l === "motion" ? t("notifications.prefs.label_motion") : l} checked={p.labels === null || p.labels.includes(l)} onChange={(v) => set({ labels: toggle(p.labels, labels, l, v) })} />
        ))}
        <p className="text-xs text-zinc-500">{t("notifications.prefs.labelsHint")}</p>
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="mb-2 font-semibold">{t("notifications.prefs.modes")}</legend>
        <p className="text-xs text-zinc-500">{t("notifications.prefs.modesHint")}</p>
        <Check label={t("notifications.prefs.allModes")} checked={p.modeIds === null} onChange={(v) => set({ modeIds: v ? null : [] })} />
        {modes.map((m) => (
          <Check key={m.id} label={m.name} checked={p.modeIds === null || p.modeIds.includes(m.id)} onChange={(v) => set({ modeIds: toggle(p.modeIds, modeIds, m.id, v) })} />
        ))}
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="mb-2 font-semibold">{t("notifications.prefs.quietHours")}</legend>
        <Check label={t("notifications.prefs.quietEnabled")} checked={p.quietHours !== null} onChange={(v) => set({ quietHours: v ? { from: "22:00", to: "07:00" } : null })} />
        {p.quietHours ? (
          <div className="flex flex-wrap gap-4">
            <label className="text-sm">
              {t("notifications.prefs.quietFrom")}{" "}
              <input type="time" className="input" value={p.quietHours.from} onChange={(e) => set({ quietHours: { ...p.quietHours!, from: e.target.value } })} />
            </label>
            <label className="text-sm">
              {t("notifications.prefs.quietTo")}{" "}
              <input type="time" className="input" value={p.quietHours.to} onChange={(e) => set({ quietHours: { ...p.quietHours!, to: e.target.value } })} />
            </label>
          </div>
        ) : null}
        <p className="text-xs text-zinc-500">{t("notifications.prefs.quietHint", { zone: timeZone })}</p>
      </fieldset>
      <label className="block text-sm">
        <span className="font-semibold">{t("notifications.prefs.cooldown")}</span>
        <input type="number" min={0} max={86400} className="input mt-1 block w-40" value={p.cooldownSeconds} onChange={(e) => set({ cooldownSeconds: Math.max(0, Math.floor(Number(e.target.value) || 0)) })} />
        <span className="mt-1 block text-xs text-zinc-500">{t("notifications.prefs.cooldownHint")}</span>
      </label>
      <FormMessage error={msg.error} success={msg.success} />
      <button type="submit" className="btn-primary">
        {t("notifications.prefs.save")}
      </button>
    </form>
  );
}
