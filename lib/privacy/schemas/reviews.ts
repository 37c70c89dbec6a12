// reviews.json: your own review queue (lib/events/review.ts): the events you marked reviewed, and your "reviewed up
// to" time. Only yours: nobody else's marks, and nobody else sees these.
import { dateTime, DRAFT, formatVersion, id, nullableDateTime } from "./common";

export const reviewsSchema = {
  $schema: DRAFT,
  title: "Nightjar export: reviews.json",
  description: "Your review queue on the Events page: the events you marked reviewed one by one (oldest mark first), and your \"reviewed up to\" time. Reviewing deletes nothing and is shown to nobody but you.",
  type: "object",
  additionalProperties: false,
  required: ["formatVersion", "reviewedUpTo", "reviews"],
  properties: {
    formatVersion,
    reviewedUpTo: {
      ...nullableDateTime,
      description: "Events that started at or before this instant count as reviewed by you (set by \"Mark everything reviewed\"); null = none: every event you may see is to review until you mark it (accounts that existed when the review queue was added got that moment instead of null). Not narrowed by the export's filters.",
    },
    reviews: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["eventId", "reviewedAt"],
        properties: {
          eventId: { ...id, description: "The event you marked reviewed (events.json, when it is part of this export)." },
          reviewedAt: { ...dateTime, description: "When you marked it." },
        },
      },
    },
  },
} as const;
