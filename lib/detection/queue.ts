// The detector's queue, pure: one detector per server, shared by all cameras. Each camera keeps only its newest frames
// (at most `perCamera`; an older one is dropped when a newer arrives — a frame's worth is its recency), and the
// detector takes from the cameras in turn (round robin from the one after the last served), the newest frame of each
// first. So when cameras compete, every camera still gets frames, the newest first; a full queue drops frames, it
// never blocks the caller (the recorder hands frames over and goes on). Times in ms since the epoch.

export type QueuedFrame<T> = { cameraId: string; capturedAt: number; frame: T };
export type FrameQueue<T> = { readonly byCamera: ReadonlyMap<string, readonly QueuedFrame<T>[]>; readonly order: readonly string[]; readonly last: string | null; readonly dropped: number };

/** Frames kept per camera by default: the newest two (one being replaced while the other waits). */
export const DEFAULT_PER_CAMERA = 2;

export const emptyQueue = <T>(): FrameQueue<T> => ({ byCamera: new Map(), order: [], last: null, dropped: 0 });

/** Adds a frame; the camera's oldest frames beyond `perCamera` are dropped (counted). */
export function enqueueFrame<T>(q: FrameQueue<T>, f: QueuedFrame<T>, perCamera: number = DEFAULT_PER_CAMERA): FrameQueue<T> {
  const byCamera = new Map(q.byCamera);
  const frames = [...(byCamera.get(f.cameraId) ?? []), f].sort((a, b) => a.capturedAt - b.capturedAt);
  const over = Math.max(0, frames.length - Math.max(1, perCamera));
  byCamera.set(f.cameraId, frames.slice(over));
  const order = q.order.includes(f.cameraId) ? q.order : [...q.order, f.cameraId];
  return { ...q, byCamera, order, dropped: q.dropped + over };
}

/** The next frame to detect on, or null when empty: the next camera in turn that has frames, its newest frame. */
export function takeFrame<T>(q: FrameQueue<T>): { queue: FrameQueue<T>; next: QueuedFrame<T> | null } {
  const n = q.order.length;
  const start = q.last === null ? 0 : (q.order.indexOf(q.last) + 1) % Math.max(1, n);
  for (let k = 0; k < n; k++) {
    const cameraId = q.order[(start + k) % n];
    const frames = q.byCamera.get(cameraId) ?? [];
    if (frames.length === 0) continue;
    const byCamera = new Map(q.byCamera);
    byCamera.set(cameraId, frames.slice(0, -1));
    return { queue: { ...q, byCamera, last: cameraId }, next: frames[frames.length - 1] };
  }
  return { queue: q, next: null };
}

/** Forgets a camera (deleted, detection turned off): its frames go, its turn too. */
export function removeCamera<T>(q: FrameQueue<T>, cameraId: string): FrameQueue<T> {
  const byCamera = new Map(q.byCamera);
  byCamera.delete(cameraId);
  const order = q.order.filter((c) => c !== cameraId);
  const last = q.last === cameraId ? (q.order[q.order.indexOf(cameraId) - 1] ?? null) : q.last;
  return { ...q, byCamera, order, last };
}

export const queuedFrames = <T>(q: FrameQueue<T>) => [...q.byCamera.values()].reduce((n, f) => n + f.length, 0);
