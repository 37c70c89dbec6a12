// The WHEP offer (pure): checked, its H.264 payload type chosen for the camera's stream, the rest of its video codecs
// stripped so that the WebRTC library can only answer with that one (libdatachannel reciprocates what it is given).
// Chromium offers ~8 H.264 payload types (profiles 42001f, 42e01f, 4d001f, 64001f…, packetization-mode 0 and 1) with
// numbers that vary by version; we need packetization-mode=1 (ffmpeg and cameras send FU-A) and the stream's
// profile_idc (from its SPS), else Constrained Baseline, which every browser decodes whatever the stream's profile in
// practice. The level is not matched (level-asymmetry-allowed=1).
import { AppError } from "../../errors";
import type { WebRtcAudioCodec } from "./audio";

/** Largest offer accepted, bytes (Chromium's video-only offer is ~3–5 KB; with audio and data ~8 KB). */
export const MAX_OFFER_BYTES = 16 * 1024;

/** Why an offer is refused: a code in the 400's `params.reason`. */
export type OfferProblem = "empty" | "too_large" | "not_sdp" | "no_video" | "no_h264" | "not_receiving";

export type VideoChoice = {
  /** The video section's mid (the answer must use the same). */
  mid: string;
  /** The browser's payload type for H.264 packetization-mode 1 with the chosen profile. */
  pt: number;
  /** Its fmtp parameters as offered (profile-level-id, packetization-mode, level-asymmetry-allowed). */
  fmtp: string;
};

/** The offer's audio section and its payload type for the codec the stream's sound goes out in. */
export type AudioChoice = { mid: string; pt: number; codec: WebRtcAudioCodec; fmtp: string };

type Section = { start: number; end: number };
type Format = { pt: number; codec: string; fmtp: string };

const refuse = (reason: OfferProblem) => new AppError("webrtc_offer_invalid", { reason });

function sections(lines: string[]): Section[] {
  const starts = lines.map((l, i) => (l.startsWith("m=") ? i : -1)).filter((i) => i >= 0);
  return starts.map((start, k) => ({ start, end: starts[k + 1] ?? lines.length }));
}

function formats(lines: string[], s: Section): Format[] {
  const pts = lines[s.start].split(" ").slice(3).filter((p) => /^\d{1,3}$/.test(p)).map(Number);
  const attr = (prefix: string, pt: number) => lines.slice(s.start, s.end).find((l) => l.startsWith(`${prefix}${pt} `));
  return pts.map((pt) => {
    const map = attr("a=rtpmap:", pt);
    const fmtp = attr("a=fmtp:", pt);
    return { pt, codec: map ? map.split(" ")[1].split("/")[0].toUpperCase() : "", fmtp: fmtp ? fmtp.slice(fmtp.indexOf(" ") + 1) : "" };
  });
}

export const fmtpParam = (fmtp: string, name: string): string | undefined =>
  fmtp
    .split(";")
    .map((kv) => kv.trim().split("="))
    .find(([k]) => k.toLowerCase() === name)?.[1];

/** The offer's lines (CRLF or LF), or webrtc_offer_invalid when it is empty, too large or not an SDP. */
export function offerLines(offer: string): string[] {
  if (Buffer.byteLength(offer) > MAX_OFFER_BYTES) throw refuse("too_large");
  if (offer.trim() === "") throw refuse("empty");
  const lines = offer.split(/\r?\n/).filter((l) => l !== "");
  if (lines[0] !== "v=0" || !lines.every((l) => /^[a-z]=/.test(l)) || !lines.some((l) => l.startsWith("m="))) throw refuse("not_sdp");
  return lines;
}

/**
 * The H.264 payload type to send with, for a stream whose SPS says `profileLevelId` (6 hex digits; null: not known
 * yet, Constrained Baseline preferred). Refuses offers without a video section the browser receives on, and offers
 * without H.264 in packetization-mode 1.
 */
export function chooseVideo(offer: string, profileLevelId: string | null): VideoChoice {
  const lines = offerLines(offer);
  const video = sections(lines).find((s) => lines[s.start].startsWith("m=video ") && !lines[s.start].startsWith("m=video 0 "));
  if (!video) throw refuse("no_video");
  const attrs = lines.slice(video.start, video.end);
  if (attrs.includes("a=sendonly") || attrs.includes("a=inactive")) throw refuse("not_receiving");
  const h264 = formats(lines, video).filter((f) => f.codec === "H264" && fmtpParam(f.fmtp, "packetization-mode") === "1");
  if (h264.length === 0) throw refuse("no_h264");
  const profileOf = (f: Format) => (fmtpParam(f.fmtp, "profile-level-id") ?? "42e01f").toLowerCase();
  // Same profile_idc and constraint flags, else the same profile_idc, else Constrained Baseline.
  const want = (profileLevelId ?? "42e01f").toLowerCase();
  const pick = h264.find((f) => profileOf(f).startsWith(want.slice(0, 4))) ?? h264.find((f) => profileOf(f).startsWith(want.slice(0, 2))) ?? h264.find((f) => profileOf(f).startsWith("42e0")) ?? h264[0];
  const mid = attrs.find((l) => l.startsWith("a=mid:"))?.slice(6) ?? "0";
  return { mid, pt: pick.pt, fmtp: pick.fmtp };
}

/** RTP clock rate each codec must be offered at (RFC 3551 §4.5.14; RFC 7587 §7: opus/48000/2). */
const AUDIO_RTPMAP: Record<WebRtcAudioCodec, string> = { PCMU: "PCMU/8000", PCMA: "PCMA/8000", OPUS: "OPUS/48000/2" };

/**
 * The offer's first audio section the browser receives on, with its payload type for `codec` (the stream's sound as
 * the viewers get it); null when the offer has no such section or does not offer the codec (the answer then rejects
 * the section: the picture plays without sound). Call after chooseVideo (which refuses malformed offers).
 */
export function chooseAudio(offer: string, codec: WebRtcAudioCodec): AudioChoice | null {
  const lines = offerLines(offer);
  const audio = sections(lines).find((s) => lines[s.start].startsWith("m=audio ") && !lines[s.start].startsWith("m=audio 0 "));
  if (!audio) return null;
  const attrs = lines.slice(audio.start, audio.end);
  if (attrs.includes("a=sendonly") || attrs.includes("a=inactive")) return null;
  const rtpmap = (pt: number) => attrs.find((l) => l.startsWith(`a=rtpmap:${pt} `))?.split(" ")[1]?.toUpperCase();
  // Static payload types 0 and 8 may come without an rtpmap line (RFC 3551).
  const pick = formats(lines, audio).find((f) => (rtpmap(f.pt) ?? { 0: "PCMU/8000", 8: "PCMA/8000" }[f.pt]) === AUDIO_RTPMAP[codec]);
  if (!pick) return null;
  const mid = attrs.find((l) => l.startsWith("a=mid:"))?.slice(6) ?? "1";
  return { mid, pt: pick.pt, codec, fmtp: pick.fmtp };
}

/**
 * The offer as the library gets it: the video section keeps only `pt` (its m= line, rtpmap, fmtp and rtcp-fb lines of
 * other payload types go, RTX included: we do not retransmit on another SSRC, NACKs are answered on the same one), and
 * so does the audio section of `audio` when the stream has sound; every other media section is rejected (port 0: no
 * data channel from us; the browser accepts that).
 */
export function offerForLibrary(offer: string, choice: VideoChoice, audio: AudioChoice | null = null): string {
  const lines = offerLines(offer);
  const out: string[] = [];
  const all = sections(lines);
  const rejected: string[] = [];
  out.push(...lines.slice(0, all[0].start));
  for (const s of all) {
    const m = lines[s.start].split(" ");
    const mid = lines.slice(s.start, s.end).find((l) => l.startsWith("a=mid:"))?.slice(6) ?? "";
    const kept = m[0] === "m=video" && mid === choice.mid ? choice.pt : audio && m[0] === "m=audio" && mid === audio.mid && m[1] !== "0" ? audio.pt : null;
    if (kept === null) {
      rejected.push(mid);
      // Rejected sections keep their mid; BUNDLE must not list them (RFC 8843 §7.3.3).
      out.push([m[0], "0", ...m.slice(2)].join(" "), ...lines.slice(s.start + 1, s.end));
      continue;
    }
    out.push([...m.slice(0, 3), String(kept)].join(" "));
    for (const l of lines.slice(s.start + 1, s.end)) {
      const fmt = /^a=(rtpmap|fmtp|rtcp-fb):(\d+) /.exec(l);
      if (!fmt || Number(fmt[2]) === kept) out.push(l);
    }
  }
  return (
    out
      .map((l) => (l.startsWith("a=group:BUNDLE ") ? ["a=group:BUNDLE", ...l.split(" ").slice(1).filter((mid) => !rejected.includes(mid))].join(" ") : l))
      .join("\r\n") + "\r\n"
  );
}
