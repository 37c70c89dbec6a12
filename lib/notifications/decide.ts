// The notification rule, pure: given a fact, one member's prefs, the camera's settings in the active household mode,
// the time and the member's last notification for that camera, decide per channel whether to send and why not.
// No I/O: lib/notifications/service.ts gathers the inputs for all members in batch queries and applies the answers.
//
// The rule, in order:
//   1. Who is told at all (no Notification row, nothing in the log when not): the member must see the camera; event
//      facts go to every member, camera/storage/recording facts to admins only; the camera must be among the member's
//      cameras, the event must carry one of the member's labels, the active mode among the member's modes, and the
//      active mode must let the camera notify.
//   2. In the app: the Notification row is always written for a member who is told (the centre is the record); with
//      the in-app channel off it is written already read, so it raises no badge.
//   3. Push and e-mail (when the member turned them on): skipped in quiet hours (member's zone) and, for events,
//      within the cool-down after the member's previous event notification of the same camera.
//   4. E-mail timing: one e-mail per event. A member who wants the photo gets it when the event ends (the photo is
//      written then; events last seconds to minutes); everyone else right at the start.
import { zonedParts } from "../time";
import { ANY_MOTION_LABEL, type NotificationPrefs } from "./prefs";

export type FactKind = "event" | "camera" | "storage" | "recording";

export type DecideInput = {
  kind: FactKind;
  /** The camera of the fact; null for storage facts. */
  cameraId: string | null;
  /** Labels of the event ("motion" always; detection's labels later). Empty for non-event facts. */
  labels: readonly string[];
  member: {
    isAdmin: boolean;
    /** Whether the member sees the fact's camera (lib/cameras/access.ts), decided by the caller. */
    seesCamera: boolean;
    /** IANA zone of the member's quiet hours. */
    timeZone: string;
  };
  prefs: NotificationPrefs;
  /** The active household mode's id and whether it lets this camera notify (absent camera: true). */
  mode: { id: string; notify: boolean };
  now: Date;
  /** When the member's previous event notification of this camera was created, or null. */
  lastNotifiedAt: Date | null;
};

export type SkipReason =
  | "channel_off"
  | "not_admin"
  | "camera_not_visible"
  | "camera_not_chosen"
  | "label_not_chosen"
  | "mode_not_chosen"
  | "mode_mutes_camera"
  | "quiet_hours"
  | "cooldown";

export type ChannelDecision = { send: true } | { send: false; reason: SkipReason };
/** E-mail also says when: at the start of the event, or at its end (with the photo). */
export type EmailDecision = { send: true; when: "now" | "at_end" } | { send: false; reason: SkipReason };

export type Decision =
  | { notify: false; reason: SkipReason }
  | { notify: true; inApp: ChannelDecision; push: ChannelDecision; email: EmailDecision };

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Is `now` inside the quiet hours [from, to) in `timeZone`? Over midnight when from > to; from = to: never. */
export function inQuietHours(quiet: NotificationPrefs["quietHours"], now: Date, timeZone: string): boolean {
  if (!quiet) return false;
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === to) return false;
  const p = zonedParts(now, timeZone);
  const m = p.hour * 60 + p.minute;
  return from < to ? m >= from && m < to : m >= from || m < to;
}

/** Does the event carry one of the chosen labels? null = any; "motion" matches every event. */
export function labelsMatch(chosen: readonly string[] | null, labels: readonly string[]): boolean {
  if (chosen === null) return true;
  if (chosen.includes(ANY_MOTION_LABEL)) return true;
  return labels.some((l) => chosen.includes(l));
}

export function decideNotification(input: DecideInput): Decision {
  const { kind, cameraId, prefs, member } = input;
  if (kind !== "event" && !member.isAdmin) return { notify: false, reason: "not_admin" };
  if (cameraId !== null && !member.seesCamera) return { notify: false, reason: "camera_not_visible" };
  if (cameraId !== null && prefs.cameraIds !== null && !prefs.cameraIds.includes(cameraId)) return { notify: false, reason: "camera_not_chosen" };
  if (kind === "event") {
    if (!labelsMatch(prefs.labels, input.labels)) return { notify: false, reason: "label_not_chosen" };
    if (prefs.modeIds !== null && !prefs.modeIds.includes(input.mode.id)) return { notify: false, reason: "mode_not_chosen" };
    if (!input.mode.notify) return { notify: false, reason: "mode_mutes_camera" };
  }

  const inApp: ChannelDecision = prefs.channels.inApp ? { send: true } : { send: false, reason: "channel_off" };
  // Quiet hours and cool-down silence the channels that interrupt; the first one found is the reason.
  let silenced: SkipReason | null = null;
  if (inQuietHours(prefs.quietHours, input.now, member.timeZone)) silenced = "quiet_hours";
  else if (kind === "event" && input.lastNotifiedAt && prefs.cooldownSeconds > 0 && input.now.getTime() - input.lastNotifiedAt.getTime() < prefs.cooldownSeconds * 1000) silenced = "cooldown";

  const push: ChannelDecision = !prefs.channels.push ? { send: false, reason: "channel_off" } : silenced ? { send: false, reason: silenced } : { send: true };
  const email: EmailDecision = !prefs.channels.email
    ? { send: false, reason: "channel_off" }
    : silenced
      ? { send: false, reason: silenced }
      : { send: true, when: kind === "event" && prefs.emailPhoto ? "at_end" : "now" };
  return { notify: true, inApp, push, email };
}
