"use client";
// Motion settings of a camera (admins): arming and weekly schedule, sensitivity, clip times, and zones drawn as
// rectangles on a snapshot (stored as polygons in normalized coordinates; masks exclude areas from every zone).
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { api, errorMessage } from "@/app/_components/api";
import { FormMessage } from "@/app/_components/fields";
import { LiveFieldset } from "@/app/_components/hydrated";
import { useT } from "@/lib/i18n/client";

type Zone = { id: string; name: string; points: [number, number][]; enabled: boolean; sensitivity: number; kind: "detect" | "mask" };
type Window = { day: number; from: string; to: string };
export type MotionSettingsValue = { sensitivity: number; minMotionMs: number; quietMs: number; preRollMs: number; postRollMs: number; maxClipMs: number; armed: boolean; trigger: "nightjar" | "camera" | "both"; schedule: Window[]; zones: Zone[] };

const DAYS = [1, 2, 3, 4, 5, 6, 0];
const clamp = (v: number) => Math.min(1, Math.max(0, v));

export function MotionSettings({ cameraId, initial, hasOnvif }: { cameraId: string; initial: MotionSettingsValue; hasOnvif: boolean }) {
  const t = useT();
  const router = useRouter();
  const [value, setValue] = useState<MotionSettingsValue>(initial);
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});
  const [snapshot, setSnapshot] = useState<string | null>(null);
  const [drag, setDrag] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const svg = useRef<SVGSVGElement>(null);
  const set = (patch: Partial<MotionSettingsValue>) => setValue((v) => ({ ...v, ...patch }));
  const setZone = (i: number, patch: Partial<Zone>) => set({ zones: value.zones.map((z, j) => (j === i ? { ...z, ...patch } : z)) });
  const dayName = (d: number) => new Intl.DateTimeFormat(undefined, { weekday: "long" }).format(new Date(Date.UTC(2026, 0, 4 + d)));

  const point = (e: React.PointerEvent) => {
    const r = svg.current!.getBoundingClientRect();
    return { x: clamp((e.clientX - r.left) / r.width), y: clamp((e.clientY - r.top) / r.height) };
  };

  async function save() {
    setMessage({});
    const res = await api(`/api/cameras/${cameraId}/motion`, { method: "PUT", body: value });
    if (!res.ok) return setMessage({ error: errorMessage(res.error, t("common.somethingWentWrong")) });
    setMessage({ success: t("motion.saved") });
    router.refresh();
  }

  const seconds = (ms: number) => Math.round(ms / 100) / 10;
  const numberField = (key: "preRollMs" | "postRollMs" | "maxClipMs" | "quietMs" | "minMotionMs", min: number, max: number, step = 1) => (
    <label className="block text-sm">
      <span className="label">{t(`motion.${key}`)}</span>
      <input type="number" className="input" min={min} max={max} step={step} value={seconds(value[key])} onChange={(e) => set({ [key]: Math.round(Number(e.target.value) * 1000) })} />
    </label>
  );

  return (
    <section className="card mt-6 space-y-5" aria-labelledby="motion-heading">
      <h2 id="motion-heading" className="text-lg font-semibold">
        {t("motion.title")}
      </h2>
      <LiveFieldset className="space-y-5">
      <div className="grid gap-4 sm:grid-cols-2">
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" className="h-4 w-4" checked={value.armed} onChange={(e) => set({ armed: e.target.checked })} />
          {t("motion.armed")}
        </label>
        <label className="block text-sm">
          <span className="label">
            {t("motion.sensitivity")}: <output>{value.sensitivity}</output>
          </span>
          <input type="range" min={1} max={100} value={value.sensitivity} onChange={(e) => set({ sensitivity: Number(e.target.value) })} className="w-full" aria-label={t("motion.sensitivity")} />
        </label>
      </div>
      {/* The camera's own motion detector (ONVIF events) can start events instead of, or besides, Nightjar's. */}
      {hasOnvif || value.trigger !== "nightjar" ? (
        <label className="block max-w-xl text-sm">
          <span className="label">{t("motion.trigger")}</span>
          <select className="input" value={value.trigger} onChange={(e) => set({ trigger: e.target.value as MotionSettingsValue["trigger"] })}>
            <option value="nightjar">{t("motion.triggerNightjar")}</option>
            <option value="camera">{t("motion.triggerCamera")}</option>
            <option value="both">{t("motion.triggerBoth")}</option>
          </select>
          <span className="mt-1 block text-xs text-zinc-500">{t("motion.triggerHint")}</span>
        </label>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-5">
        {numberField("preRollMs", 0, 30)}
        {numberField("postRollMs", 0, 60)}
        {numberField("maxClipMs", 5, 600)}
        {numberField("quietMs", 0.5, 600, 0.5)}
        {numberField("minMotionMs", 0, 60, 0.1)}
      </div>

      <fieldset className="space-y-2">
        <legend className="label">{t("motion.schedule")}</legend>
        <p className="text-xs text-zinc-500">{value.schedule.length === 0 ? t("motion.scheduleAlways") : t("motion.scheduleHint")}</p>
        {value.schedule.map((w, i) => (
          <div key={i} className="flex flex-wrap items-center gap-2 text-sm" data-testid="schedule-window">
            <select className="input w-auto" aria-label={t("motion.day")} value={w.day} onChange={(e) => set({ schedule: value.schedule.map((x, j) => (j === i ? { ...x, day: Number(e.target.value) } : x)) })}>
              {DAYS.map((d) => (
                <option key={d} value={d}>
                  {dayName(d)}
                </option>
              ))}
            </select>
            <input type="time" className="input w-auto" aria-label={t("motion.from")} value={w.from} onChange={(e) => set({ schedule: value.schedule.map((x, j) => (j === i ? { ...x, from: e.target.value } : x)) })} />
            <span>–</span>
            <input type="time" className="input w-auto" aria-label={t("motion.to")} value={w.to === "24:00" ? "00:00" : w.to} onChange={(e) => set({ schedule: value.schedule.map((x, j) => (j === i ? { ...x, to: e.target.value } : x)) })} />
            <button type="button" className="btn-secondary px-3 py-1" onClick={() => set({ schedule: value.schedule.filter((_, j) => j !== i) })}>
              {t("common.remove")}
            </button>
          </div>
        ))}
        <button type="button" className="btn-secondary px-3 py-1" onClick={() => set({ schedule: [...value.schedule, { day: 1, from: "22:00", to: "06:00" }] })}>
          {t("motion.addWindow")}
        </button>
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="label">{t("motion.zones")}</legend>
        <p className="text-xs text-zinc-500">{t("motion.zonesHint")}</p>
        {!snapshot ? (
          <button type="button" className="btn-secondary px-3 py-1" onClick={() => setSnapshot(`/api/cameras/${cameraId}/snapshot?t=${Date.now()}`)}>
            {t("motion.loadPicture")}
          </button>
        ) : null}
        <div className="relative aspect-video w-full max-w-2xl overflow-hidden rounded-lg bg-zinc-800">
          {/* eslint-disable-next-line @next/next/no-img-element -- a live JPEG from our own, access-checked route */}
          {snapshot ? <img src={snapshot} alt={t("motion.picture")} className="absolute inset-0 h-full w-full object-cover" /> : null}
          <svg
            ref={svg}
            viewBox="0 0 1 1"
            preserveAspectRatio="none"
            className="absolute inset-0 h-full w-full cursor-crosshair touch-none"
            role="img"
            aria-label={t("motion.drawArea")}
            onPointerDown={(e) => {
              const p = point(e);
              (e.target as Element).setPointerCapture?.(e.pointerId);
              setDrag({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
            }}
            onPointerMove={(e) => drag && setDrag({ ...drag, x1: point(e).x, y1: point(e).y })}
            onPointerUp={() => {
              if (!drag) return;
              const [x0, x1] = [Math.min(drag.x0, drag.x1), Math.max(drag.x0, drag.x1)];
              const [y0, y1] = [Math.min(drag.y0, drag.y1), Math.max(drag.y0, drag.y1)];
              setDrag(null);
              if (x1 - x0 < 0.02 || y1 - y0 < 0.02) return;
              const id = `zone-${Date.now().toString(36)}`;
              set({ zones: [...value.zones, { id, name: t("motion.zoneName", { n: value.zones.length + 1 }), points: [[x0, y0], [x1, y0], [x1, y1], [x0, y1]], enabled: true, sensitivity: value.sensitivity, kind: "detect" }] });
            }}
          >
            {value.zones.map((z) => (
              <polygon key={z.id} points={z.points.map((p) => p.join(",")).join(" ")} fill={z.kind === "mask" ? "rgba(0,0,0,0.55)" : "rgba(47,111,223,0.3)"} stroke={z.kind === "mask" ? "#000" : "#2f6fdf"} strokeWidth={0.004} opacity={z.enabled ? 1 : 0.35} />
            ))}
            {drag ? <rect x={Math.min(drag.x0, drag.x1)} y={Math.min(drag.y0, drag.y1)} width={Math.abs(drag.x1 - drag.x0)} height={Math.abs(drag.y1 - drag.y0)} fill="rgba(255,255,255,0.2)" stroke="#fff" strokeWidth={0.004} /> : null}
          </svg>
        </div>
        <ul className="space-y-2">
          {value.zones.map((z, i) => (
            <li key={z.id} className="flex flex-wrap items-center gap-3 text-sm" data-testid="zone">
              <input className="input w-40" aria-label={t("motion.zoneLabel")} value={z.name} onChange={(e) => setZone(i, { name: e.target.value })} />
              <select className="input w-auto" aria-label={t("motion.zoneKind")} value={z.kind} onChange={(e) => setZone(i, { kind: e.target.value as Zone["kind"] })}>
                <option value="detect">{t("motion.kindDetect")}</option>
                <option value="mask">{t("motion.kindMask")}</option>
              </select>
              <label className="flex items-center gap-1">
                <input type="checkbox" checked={z.enabled} onChange={(e) => setZone(i, { enabled: e.target.checked })} />
                {t("motion.zoneEnabled")}
              </label>
              {z.kind === "detect" ? (
                <label className="flex items-center gap-2">
                  {t("motion.sensitivity")}
                  <input type="range" min={1} max={100} value={z.sensitivity} onChange={(e) => setZone(i, { sensitivity: Number(e.target.value) })} aria-label={`${t("motion.sensitivity")}: ${z.name}`} />
                  <output>{z.sensitivity}</output>
                </label>
              ) : null}
              <button type="button" className="btn-secondary px-3 py-1" onClick={() => set({ zones: value.zones.filter((_, j) => j !== i) })}>
                {t("common.remove")}
              </button>
            </li>
          ))}
        </ul>
      </fieldset>
      <FormMessage error={message.error} success={message.success} />
      <button type="button" className="btn-primary" onClick={save}>
        {t("motion.save")}
      </button>
      </LiveFieldset>
    </section>
  );
}
