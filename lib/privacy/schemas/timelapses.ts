// timelapses.json: the timelapses of the cameras in the export — each day a camera kept frames of, and each span a
// member asked for — with their video; `file` is the path of the video inside the archive.
import { dateTime, DRAFT, formatVersion, id, nullableDateTime, nullableId, zipPath } from "./common";

export const timelapsesSchema = {
  $schema: DRAFT,
  title: "Nightjar export: timelapses.json",
  description:
    "Timelapses of the cameras in this export whose span overlaps the export's range, oldest first: a camera's day (one keyframe of its main stream every few seconds, made into an H.264 MP4 once the day is over) or a span a member asked for (an H.264 MP4 of the stored frames of those days). The frames themselves are not exported.",
  type: "object",
  additionalProperties: false,
  required: ["formatVersion", "timelapses"],
  properties: {
    formatVersion,
    timelapses: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "cameraId", "cameraName", "kind", "day", "from", "to", "status", "framesCaptured", "framesBytes", "requestedByYou", "createdAt", "finishedAt", "video"],
        properties: {
          id,
          cameraId: { ...nullableId, description: "null when the camera was deleted and its recordings kept." },
          cameraName: { type: "string", description: "The camera's name when the timelapse was made." },
          kind: { enum: ["day", "range"], description: "day: a camera's calendar day (server time zone); range: a span a member asked for." },
          day: { anyOf: [{ type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" }, { type: "null" }], description: "The day (YYYY-MM-DD) of a day's timelapse; null for a range." },
          from: { ...dateTime, description: "Start of the span it shows." },
          to: { ...dateTime, description: "End of the span it shows (exclusive)." },
          status: { enum: ["capturing", "queued", "encoding", "ready", "failed", "empty"], description: "capturing: the day's frames are still being kept; queued/encoding: its video is waiting or being made; ready: the video is made; failed: it could not be made; empty: there was no frame." },
          framesCaptured: { type: "integer", minimum: 0, description: "Frames kept on the server for this day (0 for a range)." },
          framesBytes: { type: "integer", minimum: 0, description: "Bytes of those frames on the server (not exported)." },
          requestedByYou: { type: "boolean", description: "A range you asked for. Who asked for other ranges is not exported." },
          createdAt: dateTime,
          finishedAt: { ...nullableDateTime, description: "When its video was made (or making it gave up)." },
          video: {
            anyOf: [
              { type: "null" },
              {
                type: "object",
                additionalProperties: false,
                required: ["file", "bytes", "frameCount", "durationMs", "width", "height"],
                properties: {
                  file: { anyOf: [zipPath, { type: "null" }], description: "Path inside this archive; null when the file was missing (see manifest.json \"missing\")." },
                  bytes: { type: "integer", minimum: 0 },
                  frameCount: { type: "integer", minimum: 0 },
                  durationMs: { type: "integer", minimum: 0, description: "Playing time at 30 frames per second, ms." },
                  width: { type: ["integer", "null"], minimum: 1 },
                  height: { type: ["integer", "null"], minimum: 1 },
                },
              },
            ],
            description: "The H.264 MP4, once made (status ready); null before, or when it failed or was empty.",
          },
        },
      },
    },
  },
} as const;
