// events.json: motion events with their clips and photo, and what object detection saw (labels, the boxes of the best
// frame); `file` is the path of the media inside the archive.
import { box, dateTime, DRAFT, formatVersion, id, label, nullableDateTime, nullableId, score, zipPath } from "./common";

const mediaFile = {
  file: { anyOf: [zipPath, { type: "null" }], description: "Path inside this archive; null when the file was missing (see manifest.json \"missing\")." },
  bytes: { type: "integer", minimum: 0 },
} as const;

export const eventsSchema = {
  $schema: DRAFT,
  title: "Nightjar export: events.json",
  description: "Motion events of the cameras in this export, oldest first, with their clips (H.264 or H.265 in MP4), photo (JPEG) and what object detection saw.",
  type: "object",
  additionalProperties: false,
  required: ["formatVersion", "events"],
  properties: {
    formatVersion,
    events: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "cameraId", "cameraName", "startedAt", "endedAt", "peakScore", "peakAt", "zones", "isProtected", "objectCount", "labels", "detections", "clips", "photo"],
        properties: {
          id,
          cameraId: { ...nullableId, description: "null when the camera was deleted and its recordings kept." },
          cameraName: { type: "string", description: "The camera's name when the event was recorded." },
          startedAt: { ...dateTime, description: "First motion." },
          endedAt: { ...nullableDateTime, description: "Last motion plus post-roll; null while still recording." },
          peakScore: { type: "number", minimum: 0, maximum: 100 },
          peakAt: nullableDateTime,
          zones: { type: "array", items: { type: "string" }, description: "Ids of the motion zones that fired; empty = the whole picture." },
          isProtected: { type: "boolean", description: "Protected events are never deleted automatically." },
          objectCount: { type: "integer", minimum: 0, description: "Most objects of interest seen at once (0 without object detection)." },
          labels: {
            type: "array",
            description: "Each label object detection saw during the event, best score first; empty without detection.",
            items: {
              type: "object",
              additionalProperties: false,
              required: ["label", "score", "firstAt"],
              properties: { label, score: { ...score, description: "The label's best score in the event, 0–1." }, firstAt: { ...dateTime, description: "When the label was first seen." } },
            },
          },
          detections: {
            type: "array",
            description: "The objects on the event's best detection frame (its photo), in time order.",
            items: {
              type: "object",
              additionalProperties: false,
              required: ["id", "label", "score", "at", "box", "isWrong"],
              properties: {
                id,
                label,
                score,
                at: { ...dateTime, description: "When the frame was taken." },
                box,
                isWrong: { type: "boolean", description: "A member marked it wrong (see corrections.json for your own marks)." },
              },
            },
          },
          clips: {
            type: "array",
            items: {
              type: "object",
              additionalProperties: false,
              required: ["id", "sequence", "startedAt", "durationMs", "videoCodec", "audioCodec", "file", "bytes"],
              properties: {
                id,
                sequence: { type: "integer", minimum: 1 },
                startedAt: dateTime,
                durationMs: { type: "integer", minimum: 0 },
                videoCodec: { enum: ["h264", "hevc"], description: "The clip's video as the camera sent it (H.264 or H.265), never re-encoded." },
                audioCodec: { enum: ["aac", null], description: "aac: the clip holds the camera's sound (record sound was on); null: no sound." },
                ...mediaFile,
              },
            },
          },
          photo: {
            anyOf: [
              { type: "null" },
              {
                type: "object",
                additionalProperties: false,
                required: ["takenAt", "width", "height", "file", "bytes", "thumbnail"],
                properties: {
                  takenAt: dateTime,
                  width: { type: "integer", minimum: 1 },
                  height: { type: "integer", minimum: 1 },
                  ...mediaFile,
                  thumbnail: {
                    type: "object",
                    additionalProperties: false,
                    required: ["width", "height", "file", "bytes"],
                    properties: { width: { type: "integer", minimum: 1 }, height: { type: "integer", minimum: 1 }, ...mediaFile },
                  },
                },
              },
            ],
          },
        },
      },
    },
  },
} as const;
