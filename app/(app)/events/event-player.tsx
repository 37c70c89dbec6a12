"use client";
// The player of one event. An event of several clips plays as ONE video: the clips joined without re-encoding (the
// download's join, cached on the server: lib/events/event-cache.ts, GET /api/events/:id/play with range requests), so
// nothing stalls or flashes at a clip boundary, the browser's own scrubber spans the whole event, and speed and frame
// step work across boundaries; the clip buttons seek to their clip and a strip under the video marks the boundaries.
// Clips that cannot be joined (formats differ) play one after another instead, the next one preloaded. H.265 the
// browser cannot decode plays through H.264 copies: clip by clip while they are made (the next one asked for while one
// plays), then whole, the copies joined. Speeds 0.5×–8×, frame step while paused (buttons, "," and "."), and "play the next event when
// this one ends" (remembered in this browser). Each clip can be downloaded as MP4 (always the original file). Members and admins can protect the
// event or delete it. Below the clips: the objects detected, boxes drawn on the photo (detections.tsx). An H.265 clip plays as it is where the browser decodes it (asked with the clip's exact codec
// string from the server: canPlayType / MediaSource.isTypeSupported); elsewhere the player asks the server for an H.264
// copy (made on request, one at a time, with the server's CPU: lib/events/playable-copy.ts), shows its progress, and
// plays the copy, saying so.
import { useEffect, useRef, useState } from "react";
import { api, errorMessage } from "@/app/_components/api";
import { isTyping, useKeys } from "./shortcuts";
import { FormMessage } from "@/app/_components/fields";
import type { EventSummary } from "@/lib/events/events";
import type { EventPlayback } from "@/lib/events/event-cache";
import type { ClipPlayback, CopyState } from "@/lib/events/playable-copy";
import { useT } from "@/lib/i18n/client";
import { useEventFormats } from "./formats";
import { EventDetections } from "./detections";
import { ConfirmDialog, Modal } from "./modal";

export function EventPlayer({
  event,
  cameraLabel,
  canProtect,
  canDelete,
  canCorrect,
  onClose,
  onChanged,
  onReviewed,
  onDeleted,
  onClipMissing,
  onPlayNext,
}: {
  event: EventSummary;
  cameraLabel: string;
  canProtect: boolean;
  canDelete: boolean;
  /** May mark a detection wrong (detections:correct). */
  canCorrect: boolean;
  onClose: () => void;
  onChanged: (e: EventSummary) => void;
  /** Marked reviewed (or not) for this member. */
  onReviewed: (ids: string[], reviewed: boolean) => void;
  onDeleted: (id: string) => void;
  /** A clip failed to load (its file may be gone, and the server cleaned up): reload the event. */
  onClipMissing: (id: string) => void;
  /** Open the next event (the member chose "play the next event when this one ends" and this one ended). */
  onPlayNext?: () => void;
}) {
  const t = useT();
  const format = useEventFormats();
  const video = useRef<HTMLVideoElement>(null);
  const [sequence, setSequence] = useState(event.clips[0]?.sequence ?? null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const when = format.dateTime(event.startedAt);
  const clipCount = event.clips.length;
  const playback = useEventPlayback(event.id, event.clips.map((c) => c.sequence).join(","));
  // Whole: several clips that join, in a codec this browser plays, or (H.265 elsewhere) their H.264 copies joined once
  // every copy is made; until then clip by clip through the copies.
  const [wholeFailed, setWholeFailed] = useState<string | null>(null);
  const allH264 = event.clips.every((c) => c.videoCodec === "h264");
  const playsOriginal = allH264 || (playback?.mimeType != null && canPlayClip(playback.mimeType));
  const isWhole = clipCount > 1 && playback?.mode === "whole" && wholeFailed !== event.id && (playsOriginal || playback.copiesReady);
  const isWholeCopy = isWhole && !playsOriginal;
  const isDeciding = clipCount > 1 && playback === null;
  // Where the whole video is (s), for the clip buttons and the boundary strip.
  const [position, setPosition] = useState({ at: 0, duration: 0 });
  const wholeClip = isWhole ? clipAt(playback.clips, position.at * 1000) : null;
  // The clip being played disappeared (cleaned up after a missing file): go to the first one left.
  const current = event.clips.some((c) => c.sequence === sequence) ? sequence : (event.clips[0]?.sequence ?? null);
  const videoCodec = event.clips.find((c) => c.sequence === current)?.videoCodec ?? "h264";
  const { source, copyState, retry, switchToCopy } = usePlayableSource(event.id, isWhole || isDeciding ? null : current, videoCodec);
  const clipUrl = current === null ? null : `/api/events/${event.id}/clips/${current}`;
  const clipSrc = current === null ? null : source === "original" ? clipUrl : source === "copy" ? `${clipUrl}/h264` : null;
  const src = isDeciding ? null : isWhole ? `/api/events/${encodeURIComponent(event.id)}/play${isWholeCopy ? "?copy=h264" : ""}` : clipSrc;
  // Clip by clip: the next original clip loads while this one plays, so that it starts at once; through copies, the next
  // clip's copy is asked for while this one's plays (often made by then; if not, its progress shows when its turn comes).
  const nextClip = current === null ? undefined : event.clips.find((c) => c.sequence > current);
  const preloadSrc = !isWhole && !isDeciding && nextClip && nextClip.videoCodec === "h264" ? `/api/events/${event.id}/clips/${nextClip.sequence}` : null;
  const nextCopy = !isWhole && !isDeciding && source === "copy" && nextClip && nextClip.videoCodec !== "h264" ? `/api/events/${event.id}/clips/${nextClip.sequence}/h264` : null;
  useEffect(() => {
    if (nextCopy) void api<CopyState>(nextCopy, { method: "POST" }); // its state is read when its turn comes
  }, [nextCopy]);
  const [rate, setRate] = useState(1);
  const [autoNext, setAutoNext] = useAutoNext();
  const frameSeconds = (playback?.frameMs ?? DEFAULT_FRAME_MS) / 1000;

  function applyRate(v: HTMLVideoElement, r: number) {
    v.defaultPlaybackRate = r;
    v.playbackRate = r;
  }
  function changeRate(r: number) {
    setRate(r);
    if (video.current) applyRate(video.current, r);
  }
  /** Pauses and moves one frame back (-1) or forward (1). */
  function stepFrame(direction: -1 | 1) {
    const v = video.current;
    if (!v) return;
    v.pause();
    const end = Number.isFinite(v.duration) ? v.duration : Infinity;
    v.currentTime = Math.min(end, Math.max(0, v.currentTime + direction * frameSeconds));
  }
  function seekWhole(seconds: number) {
    const v = video.current;
    if (!v) return;
    v.currentTime = seconds;
    if (v.paused) void v.play().catch(() => undefined);
  }
  function ended() {
    if (!isWhole && current !== null) {
      const next = event.clips.find((c) => c.sequence > current);
      if (next) return setSequence(next.sequence);
    }
    if (autoNext && onPlayNext) onPlayNext();
  }

  // Several clips: ask whether they join into one download (a camera that changed its stream mid-event: they do not).
  const [joinable, setJoinable] = useState<boolean | null>(null);
  useEffect(() => {
    if (clipCount < 2) return;
    let live = true;
    void api<{ joinable: boolean }>(`/api/events/${encodeURIComponent(event.id)}/download?check=1`).then((res) => {
      if (live) setJoinable(res.ok ? res.data.joinable : false);
    });
    return () => {
      live = false;
    };
  }, [event.id, clipCount]);

  useEffect(() => {
    const v = video.current;
    if (!v || src === null) return;
    // Autoplay with sound may be refused by the browser: then muted (the member can unmute).
    v.play().catch(() => {
      if (!video.current) return;
      video.current.muted = true;
      void video.current.play().catch(() => undefined);
    });
  }, [src]);

  // Keys while the player is open (listed in the Events page's "Keyboard shortcuts"): space plays or pauses, r marks
  // reviewed or not, p protects or unprotects, Delete asks to delete. Not while typing, nor with a modifier held.
  useKeys((e) => {
    if (isTyping(e) || confirming) return;
    if (e.key === " ") {
      const v = video.current;
      if (!v || (e.target instanceof HTMLElement && e.target.closest("button, a, video"))) return; // their own Space
      e.preventDefault();
      if (v.paused) void v.play().catch(() => undefined);
      else v.pause();
    } else if (e.key === "," || e.key === ".") {
      e.preventDefault();
      stepFrame(e.key === "," ? -1 : 1);
    } else if (e.key === "<" || e.key === ">") {
      const at = SPEEDS.indexOf(rate as (typeof SPEEDS)[number]);
      changeRate(SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, (at < 0 ? SPEEDS.indexOf(1) : at) + (e.key === ">" ? 1 : -1)))]);
    } else if (e.key === "r") void setReviewedMark(!event.reviewed);
    else if (e.key === "p" && canProtect) void setProtected(!event.isProtected);
    else if ((e.key === "Delete" || e.key === "#") && canDelete) {
      setConfirmError(null);
      setConfirming(true);
    }
  });

  async function setReviewedMark(reviewed: boolean) {
    setError(null);
    const res = await api<{ reviewed: string[] }>("/api/events/review", { body: { ids: [event.id], reviewed } });
    if (!res.ok) return setError(errorMessage(res.error, t("common.somethingWentWrong")));
    onReviewed([event.id], res.data.reviewed.includes(event.id));
  }

  async function setProtected(isProtected: boolean) {
    setBusy(true);
    setError(null);
    const res = await api<{ isProtected: boolean }>(`/api/events/${event.id}`, { method: "PATCH", body: { isProtected } });
    setBusy(false);
    if (!res.ok) return setError(errorMessage(res.error, t("common.somethingWentWrong")));
    onChanged({ ...event, isProtected: res.data.isProtected });
  }

  async function remove() {
    setBusy(true);
    setConfirmError(null);
    const res = await api(`/api/events/${event.id}`, { method: "DELETE" });
    setBusy(false);
    if (res.ok || res.status === 404) return onDeleted(event.id); // 404: someone (or expiry) was faster; it is gone
    setConfirmError(errorMessage(res.error, t("common.somethingWentWrong")));
  }

  return (
    <Modal labelledBy="player-title" onClose={onClose} wide>
      <div className="flex items-start justify-between gap-3">
        <h2 id="player-title" className="font-semibold">
          {cameraLabel} · {when}
        </h2>
        <button type="button" className="btn-secondary px-3 py-1" onClick={onClose}>
          {t("events.close")}
        </button>
      </div>
      {current !== null && src !== null ? (
        <video
          key={src}
          ref={video}
          controls
          autoPlay
          playsInline
          preload="auto"
          className="aspect-video w-full rounded-lg bg-black"
          src={src}
          data-testid="event-video"
          data-source={isWholeCopy ? "whole-copy" : isWhole ? "whole" : source}
          onLoadedMetadata={(e) => applyRate(e.currentTarget, rate)}
          onTimeUpdate={(e) => setPosition({ at: e.currentTarget.currentTime, duration: e.currentTarget.duration })}
          onDurationChange={(e) => setPosition({ at: e.currentTarget.currentTime, duration: e.currentTarget.duration })}
          onEnded={ended}
          onError={(e) => {
            // The joined video could not be made or played (a camera's stream changed meanwhile, or the browser turned
            // its codec down after all): clip by clip, whose own errors say what is wrong.
            if (isWhole) return setWholeFailed(event.id);
            // An H.265 clip the browser turned down after all (canPlayType said "maybe"): the copy, not "missing".
            const code = e.currentTarget.error?.code;
            if (source === "original" && videoCodec !== "h264" && (code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED || code === MediaError.MEDIA_ERR_DECODE)) return switchToCopy();
            setError(t("events.clipMissing"));
            onClipMissing(event.id);
          }}
        />
      ) : isDeciding ? (
        <div className="flex aspect-video w-full items-center justify-center rounded-lg bg-black text-sm text-white" data-testid="clip-copy" data-state="checking">
          <p role="status">{t("events.clipChecking")}</p>
        </div>
      ) : current !== null ? (
        <div className="flex aspect-video w-full flex-col items-center justify-center gap-3 rounded-lg bg-black p-6 text-center text-sm text-white" data-testid="clip-copy" data-state={source === "checking" ? "checking" : copyState.state}>
          {source === "checking" ? (
            <p role="status">{t("events.clipChecking")}</p>
          ) : copyState.state === "failed" ? (
            <>
              <p role="alert">{t("events.clipCopyFailed")}</p>
              <button type="button" className="btn-secondary" onClick={retry}>
                {t("events.clipCopyRetry")}
              </button>
            </>
          ) : (
            <>
              <p role="status">{copyState.state === "queued" ? t("events.clipCopyQueued", { n: copyState.position }) : t("events.clipCopyPreparing")}</p>
              <progress className="w-2/3" aria-label={t("events.clipCopyProgress")} max={1} value={copyState.state === "preparing" && copyState.progress !== null ? copyState.progress : undefined} />
            </>
          )}
        </div>
      ) : null}
      {preloadSrc ? <video key={preloadSrc} src={preloadSrc} preload="auto" muted className="hidden" aria-hidden="true" data-testid="next-clip-preload" /> : null}
      {isWhole && playback.clips.length > 1 && position.duration > 0 ? (
        <ClipStrip clips={playback.clips} at={position.at} duration={position.duration} onSeek={seekWhole} />
      ) : null}
      {current !== null && !isDeciding ? (
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
          <div role="group" aria-label={t("events.speed")} className="flex items-center gap-1">
            <span aria-hidden="true" className="text-zinc-600 dark:text-zinc-400">
              {t("events.speed")}
            </span>
            {SPEEDS.map((r) => (
              <button key={r} type="button" className="btn-secondary px-2 py-1 tabular-nums" aria-pressed={rate === r} onClick={() => changeRate(r)}>
                {r}×
              </button>
            ))}
          </div>
          <div className="flex items-center gap-1">
            <button type="button" className="btn-secondary px-2 py-1" aria-label={t("events.frameBack")} title={`${t("events.frameBack")} (,)`} onClick={() => stepFrame(-1)}>
              <span aria-hidden="true">⏮</span>
            </button>
            <button type="button" className="btn-secondary px-2 py-1" aria-label={t("events.frameForward")} title={`${t("events.frameForward")} (.)`} onClick={() => stepFrame(1)}>
              <span aria-hidden="true">⏭</span>
            </button>
          </div>
          {onPlayNext ? (
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={autoNext} onChange={(e) => setAutoNext(e.target.checked)} />
              {t("events.autoNext")}
            </label>
          ) : null}
        </div>
      ) : null}
      {isWholeCopy || (!isWhole && source === "copy") ? (
        <p className="text-xs text-zinc-600 dark:text-zinc-400" role="note" data-testid="clip-copy-note">
          {t(isWholeCopy ? "events.eventCopyPlaying" : "events.clipCopyPlaying")}
        </p>
      ) : null}
      <FormMessage error={error} />
      <ul className="flex flex-wrap gap-x-4 gap-y-2 text-sm">
        {event.clips.map((c) => (
          <li key={c.sequence} className="flex items-center gap-2">
            {event.clips.length > 1 ? (
              <button
                type="button"
                className="btn-secondary px-2 py-1"
                aria-pressed={isWhole ? c.sequence === wholeClip : c.sequence === current}
                onClick={() => {
                  const place = isWhole ? playback.clips.find((p) => p.sequence === c.sequence) : undefined;
                  if (place) seekWhole(place.startMs / 1000);
                  else setSequence(c.sequence);
                }}
              >
                {t("events.playClip", { n: c.sequence })}
              </button>
            ) : null}
            <a className="text-brand-600 hover:underline" href={`/api/events/${event.id}/clips/${c.sequence}?download=1`} download>
              {t("events.downloadClip", { n: c.sequence })}
            </a>
          </li>
        ))}
        {event.clips.length > 1 && joinable ? (
          <li>
            <a className="text-brand-600 hover:underline" href={`/api/events/${event.id}/download`} download data-testid="event-download">
              {t("events.downloadEvent")}
            </a>
          </li>
        ) : null}
      </ul>
      <EventDetections event={event} canCorrect={canCorrect} onChanged={onChanged} />
      <div className="flex flex-wrap items-center gap-3 border-t border-zinc-200 pt-3 dark:border-zinc-800">
        {event.reviewed ? (
          <span className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="reviewed-state">
            {t("events.isReviewed")}
          </span>
        ) : null}
        <button type="button" className="btn-secondary px-3 py-1" onClick={() => void setReviewedMark(!event.reviewed)}>
          {event.reviewed ? t("events.markUnreviewed") : t("events.markReviewed")}
        </button>
      </div>
      {canProtect || canDelete ? (
        <div className="flex flex-wrap items-center gap-3 border-t border-zinc-200 pt-3 dark:border-zinc-800">
          {event.isProtected ? (
            <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200" data-testid="protected-badge">
              {t("events.isProtected")}
            </span>
          ) : null}
          {canProtect ? (
            <button type="button" className="btn-secondary" disabled={busy} onClick={() => setProtected(!event.isProtected)}>
              {event.isProtected ? t("events.unprotect") : t("events.protect")}
            </button>
          ) : null}
          {canDelete ? (
            <button
              type="button"
              className="btn-danger"
              disabled={busy}
              onClick={() => {
                setConfirmError(null);
                setConfirming(true);
              }}
            >
              {t("events.deleteEvent")}
            </button>
          ) : null}
          <p className="w-full text-xs text-zinc-500 dark:text-zinc-400">{t("events.protectedNote")}</p>
        </div>
      ) : null}
      {confirming ? (
        <ConfirmDialog
          id="delete-event"
          title={t("events.deleteEventTitle")}
          confirmLabel={t("events.confirmDelete")}
          cancelLabel={t("events.cancel")}
          busy={busy}
          error={<FormMessage error={confirmError} />}
          onConfirm={remove}
          onCancel={() => setConfirming(false)}
        >
          <p>{t("events.deleteEventConfirm", { camera: cameraLabel, time: when })}</p>
        </ConfirmDialog>
      ) : null}
    </Modal>
  );
}

/** The speeds offered (playbackRate); "<" and ">" move along them. */
const SPEEDS = [0.5, 1, 2, 4, 8] as const;
/** The frame step when the clip's frame length is unknown, ms (25 frames/s, a common camera rate). */
const DEFAULT_FRAME_MS = 40;
/** Where this browser remembers "play the next event when this one ends" (per browser, like the live layout). */
const AUTO_NEXT_KEY = "nightjar.events.autoNext";

/** The member's "play the next event" choice, kept in localStorage ("1"); in memory where storage is refused. */
function useAutoNext(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => {
    try {
      return localStorage.getItem(AUTO_NEXT_KEY) === "1";
    } catch {
      return false;
    }
  });
  return [
    on,
    (value: boolean) => {
      setOn(value);
      try {
        localStorage.setItem(AUTO_NEXT_KEY, value ? "1" : "0");
      } catch {
        /* private mode: for this page only */
      }
    },
  ];
}

/** How the server says to play the event (GET /api/events/:id/playback); "clips" when it cannot say. */
function useEventPlayback(eventId: string, clipsKey: string): EventPlayback | null {
  const [state, setState] = useState<{ key: string; playback: EventPlayback } | null>(null);
  const key = `${eventId}/${clipsKey}`;
  useEffect(() => {
    let live = true;
    void api<EventPlayback>(`/api/events/${encodeURIComponent(eventId)}/playback`).then((res) => {
      if (live) setState({ key, playback: res.ok ? res.data : { mode: "clips", mimeType: null, frameMs: null, clips: [], copiesReady: false } });
    });
    return () => {
      live = false;
    };
  }, [eventId, key]);
  return state?.key === key ? state.playback : null;
}

/** The clip (sequence) at `ms` on the event's timeline. */
function clipAt(clips: EventPlayback["clips"], ms: number): number | null {
  let found: number | null = clips[0]?.sequence ?? null;
  for (const c of clips) if (ms >= c.startMs) found = c.sequence;
  return found;
}

/**
 * The whole event's clips as a strip under the video: where it is, and a mark at each clip boundary; a click seeks
 * there. For the pointer only (hidden from assistive technology: the video's own controls and the clip buttons seek).
 */
function ClipStrip({ clips, at, duration, onSeek }: { clips: EventPlayback["clips"]; at: number; duration: number; onSeek: (s: number) => void }) {
  const pct = (s: number) => `${Math.min(100, Math.max(0, (s / duration) * 100))}%`;
  return (
    <div
      aria-hidden="true"
      className="relative h-3 w-full cursor-pointer overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800"
      data-testid="clip-strip"
      onClick={(e) => {
        const box = e.currentTarget.getBoundingClientRect();
        onSeek(((e.clientX - box.left) / box.width) * duration);
      }}
    >
      <div className="absolute inset-y-0 left-0 bg-brand-600/60" style={{ width: pct(at) }} />
      {clips.slice(1).map((c) => (
        <div key={c.sequence} className="absolute inset-y-0 w-0.5 bg-zinc-900 dark:bg-white" style={{ left: pct(c.startMs / 1000) }} data-testid="clip-boundary" data-ms={c.startMs} />
      ))}
    </div>
  );
}

/** How often the player asks for the copy's progress while it is being made, ms. */
const COPY_POLL_MS = 1_000;

type Source = "original" | "checking" | "preparing" | "copy";

/** Whether this browser decodes a clip of this MIME type as a plain <video src> (or, as a hint, through MSE). */
function canPlayClip(mimeType: string): boolean {
  if (document.createElement("video").canPlayType(mimeType) !== "") return true;
  return typeof MediaSource !== "undefined" && MediaSource.isTypeSupported(mimeType);
}

/**
 * What to play for a clip: the original (H.264, or H.265 this browser decodes), or its H.264 copy, asked for and
 * waited for here ("preparing", with the copy's state for the progress readout). H.264 clips need no request.
 */
function usePlayableSource(eventId: string, sequence: number | null, videoCodec: string) {
  const key = `${eventId}/${sequence}/${videoCodec}`;
  const [state, setState] = useState<{ key: string; source: Source; copy: CopyState }>({ key: "", source: "checking", copy: { state: "none" } });
  const [attempt, setAttempt] = useState(0);
  const [forceCopy, setForceCopy] = useState<string | null>(null);
  const needsCheck = sequence !== null && videoCodec !== "h264";
  const wantsCopy = forceCopy === key;

  useEffect(() => {
    if (!needsCheck) return;
    let isCancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const base = `/api/events/${eventId}/clips/${sequence}`;
    const show = (source: Source, copy: CopyState = { state: "none" }) => {
      if (!isCancelled) setState({ key, source, copy });
    };
    const follow = (copy: CopyState) => {
      if (isCancelled) return;
      if (copy.state === "ready") return show("copy", copy);
      if (copy.state === "failed" || copy.state === "not_needed") return show(copy.state === "failed" ? "preparing" : "original", copy);
      show("preparing", copy);
      timer = setTimeout(async () => {
        const res = await api<ClipPlayback>(`${base}/playback`);
        if (!res.ok) return show("preparing", { state: "failed" });
        // "none": made and then gone (the recorder restarted and tidied up): ask again.
        if (res.data.copy.state === "none") return void request();
        follow(res.data.copy);
      }, COPY_POLL_MS);
    };
    const request = async () => {
      const res = await api<CopyState>(`${base}/h264`, { method: "POST" });
      if (res.ok) follow(res.data);
      else show("preparing", { state: "failed" });
    };
    void (async () => {
      if (!wantsCopy) {
        const res = await api<ClipPlayback>(`${base}/playback`);
        if (isCancelled) return;
        // Cannot tell: try the original (its error event falls back to the copy).
        if (!res.ok || !res.data.mimeType || canPlayClip(res.data.mimeType)) return show("original");
        if (res.data.copy.state === "ready") return show("copy", res.data.copy);
      }
      await request();
    })();
    return () => {
      isCancelled = true;
      clearTimeout(timer);
    };
  }, [eventId, sequence, key, needsCheck, wantsCopy, attempt]);

  const current = state.key === key ? state : { source: "checking" as Source, copy: { state: "none" } as CopyState };
  return {
    source: needsCheck ? current.source : ("original" as Source),
    copyState: current.copy,
    retry: () => {
      setState({ key, source: "preparing", copy: { state: "none" } });
      setAttempt((n) => n + 1);
    },
    switchToCopy: () => setForceCopy(key),
  };
}
