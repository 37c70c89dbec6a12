// The address of a camera's live playlist: the player's source and the large view's preload of it. No Node imports
// (the browser bundle uses it); the route contract itself is in paths.ts.

export function liveStreamUrl(cameraId: string, stream: "main" | "sub"): string {
  return `/api/cameras/${encodeURIComponent(cameraId)}/live/${stream}/index.m3u8`;
}

/** What the stream holds (codecs, picture size, sound): the player asks the browser before it loads the playlist. */
export function liveInfoUrl(cameraId: string, stream: "main" | "sub"): string {
  return `/api/cameras/${encodeURIComponent(cameraId)}/live/${stream}/info.json`;
}

/** Where the player POSTs its WebRTC offer (WHEP); the answer's Location names the session to DELETE. */
export function liveWhepUrl(cameraId: string, stream: "main" | "sub"): string {
  return `/api/cameras/${encodeURIComponent(cameraId)}/live/${stream}/whep`;
}
