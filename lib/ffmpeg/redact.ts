// Redaction of credentials in text that came from or goes to ffmpeg: its argv carries camera URLs with user info, and
// its error output repeats them. Everything that logs or stores ffmpeg's words passes them through redactUrls.

/** Replaces the user info of every URL in a text (rtsp://user:pass@host → rtsp://***@host); for logs and errors. */
export function redactUrls(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^/@\s]+)@/gi, "$1***@");
}
