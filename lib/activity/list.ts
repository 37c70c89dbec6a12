// Reading the activity log: a member's own records (as actor or subject) or, for admins, the household's, newest
// first in keyset pages by id (no OFFSET). Names are looked up at read time: records hold ids only.
import type { Db } from "../db";
import { AppError } from "../errors";
import { can, type Role } from "../household/roles";

export const ACTIVITY_PAGE_SIZE = 50;

export type ActivityScope = "me" | "household";

export type ActivityItem = {
  id: number;
  at: string;
  action: string;
  /** null = Nightjar itself (or no one); name null = an account that no longer exists. */
  actor: { id: string; name: string | null } | null;
  subject: { id: string; name: string | null } | null;
  camera: { id: string; name: string | null } | null;
  targetId: string | null;
  data: Record<string, unknown>;
  /** For mode.* records: the household mode (its current name; name null = deleted since, key for built-in ones). */
  mode: { id: string; key: string | null; name: string | null } | null;
  /** How a program acted: through an API token (name null = deleted since) or a signed URL; null = in the app. */
  via: { kind: "token"; id: string; name: string | null } | { kind: "signed_url" } | null;
};

export type ActivityPage = { items: ActivityItem[]; nextBefore: number | null };

export type ListActivityOptions = {
  scope: ActivityScope;
  /** Records with an id lower than this (the previous page's nextBefore). */
  before?: number | null;
  /** Household scope: only records by or about this member. */
  memberId?: string | null;
  limit?: number;
};

export async function listActivity(db: Db, viewer: { id: string; role: Role }, options: ListActivityOptions): Promise<ActivityPage> {
  if (options.scope === "household" && !can(viewer.role, "activity:household")) throw new AppError("forbidden");
  const limit = Math.min(Math.max(options.limit ?? ACTIVITY_PAGE_SIZE, 1), 200);
  const who = options.scope === "me" ? viewer.id : (options.memberId ?? null);
  const rows = await db.activity.findMany({
    where: {
      ...(who ? { OR: [{ actorId: who }, { subjectId: who }] } : {}),
      ...(options.before ? { id: { lt: options.before } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const userIds = [...new Set(page.flatMap((r) => [r.actorId, r.subjectId]).filter((id): id is string => !!id))];
  const cameraIds = [...new Set(page.map((r) => r.cameraId).filter((id): id is string => !!id))];
  const datas = new Map(page.map((r) => [r.id, parseData(r.data)]));
  const tokenIds = [...new Set([...datas.values()].map((d) => d.tokenId).filter((id): id is string => typeof id === "string"))];
  const modeIds = [...new Set(page.filter((r) => r.action.startsWith("mode.") && r.targetId).map((r) => r.targetId as string))];
  const [users, cameras, tokens, modes] = await Promise.all([
    userIds.length ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, displayName: true, email: true } }) : [],
    cameraIds.length ? db.camera.findMany({ where: { id: { in: cameraIds } }, select: { id: true, name: true } }) : [],
    tokenIds.length ? db.apiToken.findMany({ where: { id: { in: tokenIds } }, select: { id: true, name: true } }) : [],
    modeIds.length ? db.householdMode.findMany({ where: { id: { in: modeIds } }, select: { id: true, key: true, name: true } }) : [],
  ]);
  const modeOf = new Map(modes.map((m) => [m.id, m]));
  const tokenName = new Map(tokens.map((t) => [t.id, t.name]));
  const userName = new Map(users.map((u) => [u.id, u.displayName || u.email]));
  const cameraName = new Map(cameras.map((c) => [c.id, c.name]));
  const person = (id: string | null) => (id ? { id, name: userName.get(id) ?? null } : null);
  return {
    items: page.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      action: r.action,
      actor: person(r.actorId),
      subject: person(r.subjectId),
      camera: r.cameraId ? { id: r.cameraId, name: cameraName.get(r.cameraId) ?? null } : null,
      targetId: r.targetId,
      data: datas.get(r.id) ?? {},
      mode: r.action.startsWith("mode.") && r.targetId ? (modeOf.get(r.targetId) ?? { id: r.targetId, key: null, name: null }) : null,
      via: viaOf(datas.get(r.id) ?? {}, tokenName),
    })),
    nextBefore: rows.length > limit ? page[page.length - 1].id : null,
  };
}

function viaOf(data: Record<string, unknown>, tokenName: Map<string, string>): ActivityItem["via"] {
  if (typeof data.tokenId === "string") return { kind: "token", id: data.tokenId, name: tokenName.get(data.tokenId) ?? null };
  if (data.via === "signed_url") return { kind: "signed_url" };
  return null;
}

function parseData(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

/** The message key of an action's label ("camera.privacy_mode" → "privacy.activity.actions.camera_privacy_mode"). */
export function activityLabelKey(action: string): string {
  return `privacy.activity.actions.${action.replace(/\./g, "_")}`;
}
