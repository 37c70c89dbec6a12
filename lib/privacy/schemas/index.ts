// The JSON Schemas of export format "1", by the data file they describe. Each is written into the archive as
// schemas/<name>.schema.json and named by the manifest entry of its file.
import { accountSchema } from "./account";
import { activitySchema } from "./activity";
import { camerasSchema } from "./cameras";
import { correctionsSchema } from "./corrections";
import { diagnosticsSchema } from "./diagnostics";
import { eventsSchema } from "./events";
import { manifestSchema } from "./manifest";
import { notificationsSchema } from "./notifications";
import { reviewsSchema } from "./reviews";
import { timelapsesSchema } from "./timelapses";

export const EXPORT_SCHEMAS = {
  "account.json": accountSchema,
  "activity.json": activitySchema,
  "cameras.json": camerasSchema,
  "corrections.json": correctionsSchema,
  "diagnostics.json": diagnosticsSchema,
  "events.json": eventsSchema,
  "manifest.json": manifestSchema,
  "notifications.json": notificationsSchema,
  "reviews.json": reviewsSchema,
  "timelapses.json": timelapsesSchema,
} as const;

export type ExportJsonFile = keyof typeof EXPORT_SCHEMAS;

/** Where a JSON file's schema lives inside the archive: account.json → schemas/account.schema.json. */
export function schemaPath(file: ExportJsonFile): string {
  return `schemas/${file.replace(/\.json$/, "")}.schema.json`;
}
