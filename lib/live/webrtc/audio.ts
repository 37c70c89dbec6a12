// Sound over WebRTC (pure): what a camera's stream sends, read from its RTSP DESCRIBE (the SDP), and what the viewers
// get. G.711 at 8 kHz (PCMU/PCMA, RFC 3551's static payload types 0 and 8) and Opus pass through as they come: every
// WebRTC browser decodes them (RFC 7874 §3). Anything else (AAC, the usual camera sound; G.711 at another rate) is
// converted to Opus by the ingest's ffmpeg: libopus, CONVERTED_OPUS_BPS mono in 20 ms frames (its CPU cost is in
// README's live benchmarks). Only for a camera whose household turned "record sound" on, as for HLS and clips.

export type WebRtcAudioCodec = "PCMU" | "PCMA" | "OPUS";

/** What the viewers of a stream get: the codec, and whether the camera's packets are copied or converted. */
export type WebRtcAudio = { codec: WebRtcAudioCodec; isCopy: boolean };

/** The payload type the ingest sends each codec with (static for G.711; Chromium and Firefox number Opus 111 too). */
export const AUDIO_INGEST_PT: Record<WebRtcAudioCodec, number> = { PCMU: 0, PCMA: 8, OPUS: 111 };

/** RTP clock rate of each codec, Hz (Opus is always signalled at 48 kHz, RFC 7587 §4.1). */
export const AUDIO_CLOCK_RATE: Record<WebRtcAudioCodec, number> = { PCMU: 8_000, PCMA: 8_000, OPUS: 48_000 };

/** Bit rate of sound converted to Opus, bit/s: ample for a camera microphone's 8–16 kHz mono. */
export const CONVERTED_OPUS_BPS = 32_000;

/** The stream's first audio section: encoding name (upper case), clock rate (Hz) and channels. */
export type DescribedAudio = { encoding: string; clockRate: number; channels: number };

/** RFC 3551's static audio payload types a camera may announce without an rtpmap line. */
const STATIC_AUDIO: Record<number, DescribedAudio> = { 0: { encoding: "PCMU", clockRate: 8_000, channels: 1 }, 8: { encoding: "PCMA", clockRate: 8_000, channels: 1 } };

/** The first audio section of an RTSP DESCRIBE's SDP (its first payload type), null when the stream has no sound. */
export function describedAudio(sdp: string): DescribedAudio | null {
  const lines = sdp.split(/\r?\n/);
  const start = lines.findIndex((l) => /^m=audio /.test(l));
  if (start < 0) return null;
  const end = lines.findIndex((l, i) => i > start && l.startsWith("m="));
  const section = lines.slice(start, end < 0 ? lines.length : end);
  const pt = Number(lines[start].split(" ")[3]);
  if (!Number.isInteger(pt)) return null;
  const map = section.find((l) => l.startsWith(`a=rtpmap:${pt} `));
  if (!map) return STATIC_AUDIO[pt] ?? null;
  const [encoding, rate, channels] = map.slice(map.indexOf(" ") + 1).trim().split("/");
  const clockRate = Number(rate);
  if (!encoding || !Number.isFinite(clockRate)) return null;
  return { encoding: encoding.toUpperCase(), clockRate, channels: Number(channels) || 1 };
}

/**
 * What the viewers get for a stream that sends `audio`: null when it sends none, or when it needs converting and this
 * ffmpeg has no Opus encoder (the picture still plays; HLS keeps the sound).
 */
export function webRtcAudioFor(audio: DescribedAudio | null, canEncodeOpus: boolean): WebRtcAudio | null {
  if (!audio) return null;
  if ((audio.encoding === "PCMU" || audio.encoding === "PCMA") && audio.clockRate === 8_000 && audio.channels === 1) return { codec: audio.encoding, isCopy: true };
  if (audio.encoding === "OPUS" && audio.clockRate === 48_000) return { codec: "OPUS", isCopy: true };
  return canEncodeOpus ? { codec: "OPUS", isCopy: false } : null;
}

/** ffmpeg's codec options for the ingest's sound output. */
export function audioCodecArgs(audio: WebRtcAudio): string[] {
  if (audio.isCopy) return ["-c:a", "copy"];
  return ["-c:a", "libopus", "-b:a", String(CONVERTED_OPUS_BPS), "-ac", "1", "-ar", "48000", "-application", "lowdelay", "-frame_duration", "20"];
}
