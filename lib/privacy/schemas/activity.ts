// activity.json: the activity records about the member: the ones where they acted and the ones about their account.
import { dateTime, DRAFT, formatVersion, nullableId } from "./common";

export const activitySchema = {
  $schema: DRAFT,
  title: "Nightjar export: activity.json",
  description: "What you did in Nightjar (sign-ins, live views, clips played or downloaded, changes) and what others did to your account, in the order they were recorded. Records hold ids only.",
  type: "object",
  additionalProperties: false,
  required: ["formatVersion", "activity"],
  properties: {
    formatVersion,
    activity: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "at", "action", "actorId", "subjectId", "cameraId", "targetId", "data"],
        properties: {
          id: { type: "integer", minimum: 1 },
          at: dateTime,
          action: { type: "string", pattern: "^[a-z_]+\\.[a-z_]+$", description: "Dotted action name, e.g. auth.sign_in, live.view, clip.download." },
          actorId: { ...nullableId, description: "Account id of who acted (yours, or an admin's); null = Nightjar itself." },
          subjectId: { ...nullableId, description: "Account id the action was about, when it was another account." },
          cameraId: nullableId,
          targetId: { ...nullableId, description: "Event, clip, member or export id the action touched." },
          data: { type: "object", description: "Small details of the action (no names, e-mails or secrets)." },
        },
      },
    },
  },
} as const;
