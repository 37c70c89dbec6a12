// Page guards (web only). Every page under app/(app) calls requirePageViewer; the list of public pages is in
// lib/auth/public-pages.ts and checked by lib/auth/guard.test.ts, so a new page is private unless it opts out there.
import { forbidden, redirect } from "next/navigation";
import { db } from "../db";
import { isSetUp } from "../household/setup";
import { can, type Permission } from "../household/roles";
import { getViewer } from "./session";
import type { Viewer } from "./viewer";

export type PageAccess = { permission?: Permission; allowPendingPasswordChange?: boolean };

export async function requirePageViewer(access: PageAccess = {}): Promise<Viewer> {
  if (!(await isSetUp(await db()))) redirect("/setup");
  const viewer = await getViewer();
  if (!viewer) redirect("/login");
  if (viewer.mustChangePassword && !access.allowPendingPasswordChange) redirect("/account/password");
  if (access.permission && !can(viewer.role, access.permission)) forbidden();
  return viewer;
}
