// The one place a request's session is read (web only: uses next/headers). Pages call requirePageViewer
// (lib/auth/guard.ts), route handlers get the viewer from the route wrapper (lib/http/route.ts); both come here.
import { cookies } from "next/headers";
import { decode } from "next-auth/jwt";
import { cache } from "react";
import { db } from "../db";
import { getEnv } from "../env";
import { getSecrets } from "../secrets";
import { sessionCookieName } from "./options";
import { resolveViewer, type Viewer } from "./viewer";

/** The signed-in viewer of this request, or null. Memoized per request. */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const jar = await cookies();
  const raw = jar.get(sessionCookieName())?.value;
  if (!raw) return null;
  let claims: unknown = null;
  try {
    claims = await decode({ token: raw, secret: getSecrets().sessionSecret });
  } catch {
    return null; // tampered, or signed with another secret
  }
  return resolveViewer(await db(), claims, new Date(), getEnv().sessionMaxAgeSeconds);
});
