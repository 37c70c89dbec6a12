// "My data": everything Nightjar holds about one member, read from the live database, for the My data page.
import type { Db } from "../db";
import { AppError } from "../errors";
import { isRole } from "../household/roles";
import { listGrantedCameras } from "../cameras/access";

export type MyData = {
  account: {
    email: string;
    username: string | null;
    displayName: string | null;
    role: string;
    isOwner: boolean;
    locale: string | null;
    timeZone: string | null;
    createdAt: string;
    passwordChangedAt: string;
    /** Bytes of the stored argon2id hash (the password itself is never stored). */
    passwordHashBytes: number;
  };
  signIns: number;
  lastSignInAt: string | null;
  /** Activity records where the member is the actor or the subject. */
  activity: number;
  exports: number;
  invitesCreated: number;
  /** API tokens I made (revoked ones too, until I delete them). */
  apiTokens: number;
  /** Notifications in my inbox, and the browsers/devices I turned push notifications on in. */
  notifications: number;
  pushDevices: number;
  /** Events I marked reviewed one by one, and "everything up to" this time (null: never). */
  reviews: { marked: number; upTo: string | null };
  /** Detection corrections, timelapses and webhooks I made (they stay without me when my account goes). */
  corrections: number;
  timelapsesRequested: number;
  webhooksCreated: number;
  /** null = every camera (admins). */
  cameraAccess: { id: string; name: string }[] | null;
};

type AccountRow = { email: string; username: string | null; displayName: string | null; role: string; isOwner: boolean; locale: string | null; timeZone: string | null; createdAt: Date; passwordChangedAt: Date };

/** A member's account as My data shows it and the export writes it: never the hash, session version or secrets. */
export function accountFields(user: AccountRow) {
  return {
    email: user.email,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    isOwner: user.isOwner,
    locale: user.locale,
    timeZone: user.timeZone,
    createdAt: user.createdAt.toISOString(),
    passwordChangedAt: user.passwordChangedAt.toISOString(),
  };
}

export async function describeMyData(db: Db, userId: string): Promise<MyData> {
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) throw new AppError("not_found");
  const mine = { OR: [{ actorId: userId }, { subjectId: userId }] };
  const [signIns, lastSignIn, activity, exports, invitesCreated, grants] = await Promise.all([
    db.activity.count({ where: { actorId: userId, action: "auth.sign_in" } }),
    db.activity.findFirst({ where: { actorId: userId, action: "auth.sign_in" }, orderBy: { id: "desc" }, select: { at: true } }),
    db.activity.count({ where: mine }),
    db.exportJob.count({ where: { userId } }),
    db.invite.count({ where: { createdById: userId } }),
    isRole(user.role) ? listGrantedCameras(db, { id: userId, role: user.role }) : null,
  ]);
  const [apiTokens, notifications, pushDevices, reviewsMarked, corrections, timelapsesRequested, webhooksCreated] = await Promise.all([
    db.apiToken.count({ where: { userId } }),
    db.notification.count({ where: { userId } }),
    db.pushSubscription.count({ where: { userId } }),
    db.eventReview.count({ where: { userId } }),
    db.detectionCorrection.count({ where: { createdById: userId } }),
    db.timelapse.count({ where: { requestedById: userId } }),
    db.webhookEndpoint.count({ where: { createdById: userId } }),
  ]);
  return {
    account: {
      ...accountFields(user),
      passwordHashBytes: Buffer.byteLength(user.passwordHash),
    },
    signIns,
    lastSignInAt: lastSignIn?.at.toISOString() ?? null,
    activity,
    exports,
    invitesCreated,
    apiTokens,
    notifications,
    pushDevices,
    reviews: { marked: reviewsMarked, upTo: user.reviewedUpTo?.toISOString() ?? null },
    corrections,
    timelapsesRequested,
    webhooksCreated,
    cameraAccess: grants,
  };
}
