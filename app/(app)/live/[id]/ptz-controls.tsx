"use client";
// Steering a camera that can pan, tilt and zoom, under its large live view (admins and members who see it; the page
// leaves it out for viewers): hold-to-move arrows and zoom (pointer, touch, or the keyboard while the controls have the
// focus: arrows, + and −, Space or Enter on a button), where the camera points (read every second, so two members
// steering at once both see it), saved positions (go to, save, rename, delete) and, for admins, the home position.
// A held move is sent as a continuous move with a short timeout and renewed while held, so a tab that vanishes
// mid-move stops the camera by itself within HOLD_TIMEOUT_MS.
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { api, errorMessage, type ApiResult } from "@/app/_components/api";
import { FormMessage } from "@/app/_components/fields";
import { useFormat, useT } from "@/lib/i18n/client";
import { useDocumentVisible } from "../visibility";

/** A held move's ONVIF timeout, ms: the camera stops by itself this long after the last renewal. */
const HOLD_TIMEOUT_MS = 3_000;
/** How often a held move is renewed, ms (< HOLD_TIMEOUT_MS). */
const HOLD_RENEW_MS = 1_500;
/** How often the position is read while the page is visible, ms. */
const POLL_MS = 1_000;
/** Speed of a held move (fraction of the camera's full speed). */
const SPEED = 0.5;

type Vector = { pan?: number; tilt?: number; zoom?: number };
type Direction = "left" | "right" | "up" | "down" | "zoomIn" | "zoomOut";
const VELOCITY: Record<Direction, Vector> = {
  left: { pan: -SPEED },
  right: { pan: SPEED },
  up: { tilt: SPEED },
  down: { tilt: -SPEED },
  zoomIn: { zoom: SPEED },
  zoomOut: { zoom: -SPEED },
};
const KEYS: Record<string, Direction> = { ArrowLeft: "left", ArrowRight: "right", ArrowUp: "up", ArrowDown: "down", "+": "zoomIn", "=": "zoomIn", "-": "zoomOut", _: "zoomOut" };

type Preset = { id: string; name: string };
type PtzView = { position: { pan: number; tilt: number; zoom: number } | null; moving: boolean; presets: Preset[]; settings: { homePresetId: string | null; returnAfterMinutes: number | null } };

export function PtzControls({ cameraId, canConfigure }: { cameraId: string; canConfigure: boolean }) {
  const t = useT();
  const format = useFormat();
  const titleId = useId();
  const isVisible = useDocumentVisible();
  const [view, setView] = useState<PtzView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const held = useRef<{ direction: Direction; timer: ReturnType<typeof setInterval> } | null>(null);
  const [heldDirection, setHeldDirection] = useState<Direction | null>(null);
  const base = `/api/cameras/${encodeURIComponent(cameraId)}/ptz`;

  const report = useCallback(
    (res: ApiResult<unknown>) => {
      if (!res.ok) setError(errorMessage(res.error, t("common.somethingWentWrong")));
      return res.ok;
    },
    [t],
  );

  const refresh = useCallback(async () => {
    const res = await api<{ ptz: PtzView }>(base);
    if (res.ok) setView(res.data.ptz);
    else setError(errorMessage(res.error, t("common.somethingWentWrong")));
  }, [base, t]);

  useEffect(() => {
    if (!isVisible) return;
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [isVisible, refresh]);

  // Commands go out one after the other, in order: a stop never overtakes the move it ends.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const send = useCallback(
    (body: Record<string, unknown>) => {
      const next = queue.current.then(async () => report(await api(base, { body })));
      queue.current = next.catch(() => undefined);
      return next;
    },
    [base, report],
  );

  const stop = useCallback(() => {
    const h = held.current;
    if (!h) return;
    clearInterval(h.timer);
    held.current = null;
    setHeldDirection(null);
    void send({ action: "stop" });
  }, [send]);

  const start = useCallback(
    (direction: Direction) => {
      if (held.current?.direction === direction) return;
      if (held.current) clearInterval(held.current.timer);
      setError(null);
      const move = () => void send({ action: "continuous", ...VELOCITY[direction], timeoutMs: HOLD_TIMEOUT_MS });
      move();
      held.current = { direction, timer: setInterval(move, HOLD_RENEW_MS) };
      setHeldDirection(direction);
    },
    [send],
  );

  // Leaving the page, hiding the tab, leaving the window, or letting go of the key anywhere stops the camera.
  useEffect(() => () => stop(), [stop]);
  useEffect(() => {
    if (!isVisible) stop();
  }, [isVisible, stop]);
  useEffect(() => {
    const onKeyUp = (e: KeyboardEvent) => {
      if (KEYS[e.key] || e.key === " " || e.key === "Enter") stop();
    };
    window.addEventListener("keyup", onKeyUp);
    window.addEventListener("blur", stop);
    return () => {
      window.removeEventListener("keyup", onKeyUp);
      window.removeEventListener("blur", stop);
    };
  }, [stop]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    const target = e.target as HTMLElement;
    const fromButton = target.dataset.direction as Direction | undefined;
    const direction = KEYS[e.key] ?? ((e.key === " " || e.key === "Enter") && fromButton ? fromButton : undefined);
    // Keys typed into a text box are text, not moves.
    if (!direction || target.tagName === "INPUT" || target.tagName === "SELECT") return;
    e.preventDefault();
    if (!e.repeat) start(direction);
  };
  const onKeyUp = (e: React.KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (target.tagName === "INPUT" || target.tagName === "SELECT") return;
    if (KEYS[e.key] || e.key === " " || e.key === "Enter") {
      e.preventDefault();
      stop();
    }
  };

  const number = new Intl.NumberFormat(format.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: "exceptZero" });
  const position = view?.position;

  const button = (direction: Direction, symbol: string, area: string) => (
    <button
      type="button"
      className="btn-secondary flex h-12 min-w-12 touch-none select-none items-center justify-center text-lg"
      style={{ gridArea: area }}
      aria-label={t(`ptz.${direction}`)}
      aria-pressed={heldDirection === direction}
      data-direction={direction}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture?.(e.pointerId);
        start(direction);
      }}
      onPointerUp={stop}
      onPointerCancel={stop}
      onLostPointerCapture={stop}
      onContextMenu={(e) => e.preventDefault()}
    >
      <span aria-hidden>{symbol}</span>
    </button>
  );

  return (
    <section
      aria-labelledby={titleId}
      className="card space-y-4"
      data-testid="ptz-controls"
      onKeyDown={onKeyDown}
      onKeyUp={onKeyUp}
      // Focus leaving the controls (a click elsewhere while a key is held) ends a keyboard move.
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) stop();
      }}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={titleId} className="font-semibold">
          {t("ptz.title")}
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="ptz-position" data-pan={position?.pan} data-tilt={position?.tilt} data-zoom={position?.zoom} data-moving={view?.moving ? "true" : "false"}>
          {t("ptz.position")}: {position ? t("ptz.positionValue", { pan: number.format(position.pan), tilt: number.format(position.tilt), zoom: number.format(position.zoom) }) : "—"}
          {view?.moving ? ` · ${t("ptz.moving")}` : ""}
        </p>
      </div>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">{t("ptz.hint")}</p>
      <div className="flex flex-wrap items-center gap-6">
        <div role="group" aria-label={t("ptz.title")} className="grid grid-cols-3 gap-2" style={{ gridTemplateAreas: '". up ." "left . right" ". down ."' }}>
          {button("up", "▲", "up")}
          {button("left", "◀", "left")}
          {button("right", "▶", "right")}
          {button("down", "▼", "down")}
        </div>
        <div role="group" aria-label={t("ptz.zoomIn") + " / " + t("ptz.zoomOut")} className="flex gap-2">
          {button("zoomOut", "−", "auto")}
          {button("zoomIn", "+", "auto")}
        </div>
      </div>
      <FormMessage error={error} success={notice} />
      {view ? <Presets base={base} presets={view.presets} onChanged={refresh} onError={setError} onNotice={setNotice} /> : null}
      {view && canConfigure ? <HomeSettings base={base} presets={view.presets} settings={view.settings} onError={setError} onNotice={setNotice} /> : null}
    </section>
  );
}

function Presets({ base, presets, onChanged, onError, onNotice }: { base: string; presets: Preset[]; onChanged: () => Promise<void>; onError: (e: string | null) => void; onNotice: (n: string | null) => void }) {
  const t = useT();
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string | undefined>();
  const [renaming, setRenaming] = useState<{ id: string; name: string; error?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const nameId = useId();

  async function call(path: string, init: { method?: string; body?: unknown }) {
    setBusy(true);
    onError(null);
    onNotice(null);
    const res = await api<{ preset: Preset }>(path, init);
    setBusy(false);
    if (!res.ok && !res.error.fields) onError(errorMessage(res.error, t("common.somethingWentWrong")));
    return res;
  }

  async function save(e: React.FormEvent) {
    e.preventDefault();
    const res = await call(`${base}/presets`, { body: { name } });
    if (!res.ok) return setNameError(res.error.fields?.name?.message);
    setNameError(undefined);
    setName("");
    onNotice(t("ptz.saved", { name: res.data.preset.name }));
    await onChanged();
  }

  return (
    <div className="space-y-3 border-t border-zinc-200 pt-3 dark:border-zinc-800">
      <h3 id={titleId} className="text-sm font-semibold">
        {t("ptz.presets")}
      </h3>
      {presets.length === 0 ? <p className="text-sm text-zinc-500 dark:text-zinc-400">{t("ptz.noPresets")}</p> : null}
      <ul aria-labelledby={titleId} className="space-y-2">
        {presets.map((p) => (
          <li key={p.id} className="flex flex-wrap items-center gap-2" data-testid="ptz-preset">
            {renaming?.id === p.id ? (
              <form
                className="flex flex-wrap items-start gap-2"
                onSubmit={async (e) => {
                  e.preventDefault();
                  const res = await call(`${base}/presets/${encodeURIComponent(p.id)}`, { method: "PATCH", body: { name: renaming.name } });
                  if (!res.ok) return setRenaming({ ...renaming, error: res.error.fields?.name?.message });
                  setRenaming(null);
                  await onChanged();
                }}
              >
                <div>
                  <input className="input" aria-label={t("ptz.newName", { name: p.name })} value={renaming.name} maxLength={64} aria-invalid={renaming.error ? true : undefined} onChange={(e) => setRenaming({ ...renaming, name: e.target.value })} autoFocus />
                  {renaming.error ? <p className="mt-1 text-xs text-red-700 dark:text-red-400">{renaming.error}</p> : null}
                </div>
                <button type="submit" className="btn-primary" disabled={busy}>
                  {t("ptz.saveRename")}
                </button>
                <button type="button" className="btn-secondary" onClick={() => setRenaming(null)}>
                  {t("ptz.cancel")}
                </button>
              </form>
            ) : (
              <>
                <button type="button" className="btn-secondary" disabled={busy} onClick={async () => void (await call(`${base}/presets/${encodeURIComponent(p.id)}/goto`, { method: "POST" }))}>
                  {t("ptz.goTo", { name: p.name })}
                </button>
                <button type="button" className="btn-secondary px-2 py-1 text-xs" onClick={() => setRenaming({ id: p.id, name: p.name })}>
                  {t("ptz.rename", { name: p.name })}
                </button>
                <button
                  type="button"
                  className="btn-secondary px-2 py-1 text-xs"
                  disabled={busy}
                  onClick={async () => {
                    if (!window.confirm(t("ptz.deleteConfirm", { name: p.name }))) return;
                    if ((await call(`${base}/presets/${encodeURIComponent(p.id)}`, { method: "DELETE" })).ok) await onChanged();
                  }}
                >
                  {t("ptz.delete", { name: p.name })}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      <form className="flex flex-wrap items-start gap-2" onSubmit={save} noValidate>
        <div>
          <label htmlFor={nameId} className="sr-only">
            {t("ptz.saveAs")}
          </label>
          <input id={nameId} className="input" placeholder={t("ptz.saveAs")} value={name} maxLength={64} aria-invalid={nameError ? true : undefined} aria-describedby={nameError ? `${nameId}-error` : undefined} onChange={(e) => {
              setName(e.target.value);
              setNameError(undefined);
            }}
          />
          {nameError ? (
            <p id={`${nameId}-error`} className="mt-1 text-xs text-red-700 dark:text-red-400">
              {nameError}
            </p>
          ) : null}
        </div>
        <button type="submit" className="btn-primary" disabled={busy}>
          {t("ptz.save")}
        </button>
      </form>
    </div>
  );
}

function HomeSettings({ base, presets, settings, onError, onNotice }: { base: string; presets: Preset[]; settings: PtzView["settings"]; onError: (e: string | null) => void; onNotice: (n: string | null) => void }) {
  const t = useT();
  const [home, setHome] = useState(settings.homePresetId ?? "");
  const [minutes, setMinutes] = useState(settings.returnAfterMinutes === null ? "" : String(settings.returnAfterMinutes));
  const homeId = useId();
  const minutesId = useId();
  const hintId = useId();
  return (
    <form
      className="space-y-2 border-t border-zinc-200 pt-3 dark:border-zinc-800"
      aria-labelledby={hintId}
      onSubmit={async (e) => {
        e.preventDefault();
        onError(null);
        onNotice(null);
        const body = { homePresetId: home || null, returnAfterMinutes: home && minutes ? Number(minutes) : null };
        const res = await api(`${base}/settings`, { method: "PUT", body });
        if (!res.ok) return onError(errorMessage(res.error, t("common.somethingWentWrong")));
        onNotice(t("ptz.homeSaved"));
      }}
    >
      <h3 className="text-sm font-semibold">{t("ptz.home")}</h3>
      <p id={hintId} className="text-xs text-zinc-500 dark:text-zinc-400">
        {t("ptz.homeHint")}
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={homeId} className="block text-sm">
            {t("ptz.homePreset")}
          </label>
          <select id={homeId} className="input" value={home} onChange={(e) => setHome(e.target.value)}>
            <option value="">{t("ptz.noHome")}</option>
            {presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={minutesId} className="block text-sm">
            {t("ptz.returnAfter")}
          </label>
          <input id={minutesId} className="input w-28" type="number" min={1} max={1440} step={1} placeholder={t("ptz.never")} value={minutes} disabled={!home} onChange={(e) => setMinutes(e.target.value)} />
        </div>
        <button type="submit" className="btn-secondary">
          {t("ptz.saveHome")}
        </button>
      </div>
    </form>
  );
}
