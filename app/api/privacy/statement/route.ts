// GET /api/privacy/statement — the data statement, measured now: `statement` (figures, storage, retention, audience,
// actions as data) and `text` (the same in words, in the caller's language). The page /account/statement shows the same.
import { cookies } from "next/headers";
import { sessionCookieName } from "@/lib/auth/options";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";
import { buildDataStatement, sessionCookieBytes, statementOptionsFromEnv } from "@/lib/privacy/statement";
import { statementText } from "@/lib/privacy/statement-text";

export const GET = route({ access: {} }, async ({ viewer, locale }) => {
  const env = getEnv();
  const jar = await cookies();
  const statement = await buildDataStatement(await db(), env.dataDir, {
    ...statementOptionsFromEnv(env),
    viewer,
    sessionCookieBytes: sessionCookieBytes(jar.getAll(), sessionCookieName()),
  });
  return { statement, text: statementText(statement, locale, viewer.timeZone) };
});
