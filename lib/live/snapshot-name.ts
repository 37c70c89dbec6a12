// The file name of a live snapshot: "<camera name> <local date time>.jpg" in the viewer's time zone, with the
// characters that some file systems refuse replaced (pure; used in the browser).

/** / \ : * ? " < > | and control characters are not allowed in file names on Windows, some not on macOS or Linux. */
const UNSAFE = /[/\\:*?"<>|\u0000-\u001f\u007f]/g;

export function snapshotFileName(cameraName: string, at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const stamp = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}.${parts.minute}.${parts.second}`;
  const name = cameraName.replace(UNSAFE, "_").trim() || "camera";
  return `${name} ${stamp}.jpg`;
}
