// GET /api/account/tokens — my personal access tokens (never the token or its hash). POST — create one; the answer
// holds the token, shown this once. Session only: a token never lists or makes tokens (no `access.token`).
import { z } from "zod";
import { createApiToken, listApiTokens, MAX_NAME_CHARS, MAX_TOKEN_CAMERAS, MAX_TOKEN_DAYS } from "@/lib/auth/api-tokens";
import { API_SCOPES } from "@/lib/auth/scopes";
import { visibleCameraIds } from "@/lib/cameras/access";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { DAY_MS } from "@/lib/time";

const body = z.object({
  name: z.string().trim().min(1, "required").max(MAX_NAME_CHARS, "too_big"),
  scopes: z.array(z.enum(API_SCOPES)).min(1, "required").max(API_SCOPES.length),
  /** Limit to these cameras; empty or absent: every camera I see. */
  cameraIds: z.array(z.string().min(1).max(100)).max(MAX_TOKEN_CAMERAS).nullish(),
  /** Days until it expires (1–365); null or absent: never. Or an exact `expiresAt`. */
  expiresInDays: z.number().int().min(1).max(MAX_TOKEN_DAYS).nullish(),
  expiresAt: z.iso.datetime({ offset: true }).nullish(),
});

export const GET = route({ access: {} }, async ({ viewer }) => ({ tokens: await listApiTokens(await db(), viewer.id, new Date()) }));

export const POST = route(
  { access: {}, body, successStatus: 201, activity: ({ result }) => ({ action: "token.created", targetId: (result as { item: { id: string } }).item.id }) },
  async ({ viewer, body }) => {
    const database = await db();
    const now = new Date();
    const expiresAt = body.expiresAt ? new Date(body.expiresAt) : body.expiresInDays ? new Date(now.getTime() + body.expiresInDays * DAY_MS) : null;
    return createApiToken(database, viewer, { name: body.name, scopes: body.scopes, cameraIds: body.cameraIds, expiresAt }, { now, visibleCameraIds: await visibleCameraIds(database, viewer) });
  },
);
