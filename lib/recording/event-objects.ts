// The detector's findings on an event, written by the recorder (the only writer of events): its labels with their
// best score (EventLabel), its most objects at once (Event.objectCount) and the boxes of its best frame (Detection,
// fractions of the frame; the event photo is taken at that frame). Labels are upserted on each write; the boxes are
// rewritten only when the best frame changed (`boxes`), and a box like one a member already marked wrong on this event
// (same label, IoU ≥ SAME_BOX_IOU) is not written again beside it.
import type { Db } from "../db";
import { newId } from "../ids";
import type { EventObjects } from "../detection/judge";
import { isForeignKeyViolation } from "../db";
import { iou } from "../detection/geometry";

/** Overlap from which a new box is the box a member marked wrong. */
const SAME_BOX_IOU = 0.5;

/** Writes what the event has now. False when the event is gone (deleted by a member while it was recorded). */
export async function writeEventObjects(db: Db, eventId: string, acc: EventObjects, opts: { boxes: boolean } = { boxes: true }): Promise<boolean> {
  const labels = [...acc.labels].map(([label, v]) => ({ eventId, label, score: v.score, firstAt: new Date(v.firstAt) }));
  const best = acc.best;
  const boxes = (best?.boxes ?? []).map((b) => ({ id: newId(), eventId, at: new Date(best!.at), label: b.label, score: b.score, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 }));
  try {
    await db.$transaction(async (tx) => {
      const n = await tx.event.updateMany({ where: { id: eventId }, data: { objectCount: acc.objectCount } });
      if (n.count === 0) throw new EventGone();
      for (const l of labels) await tx.eventLabel.upsert({ where: { eventId_label: { eventId, label: l.label } }, create: l, update: { score: l.score } });
      if (best && opts.boxes) {
        // The boxes of the best frame replace the previous best frame's, except those a member already marked wrong
        // (kept, and not written again).
        const wrong = await tx.detection.findMany({ where: { eventId, isWrong: true }, select: { label: true, x1: true, y1: true, x2: true, y2: true } });
        const fresh = boxes.filter((b) => !wrong.some((w) => w.label === b.label && iou(w, b) >= SAME_BOX_IOU));
        await tx.detection.deleteMany({ where: { eventId, isWrong: false } });
        if (fresh.length) await tx.detection.createMany({ data: fresh });
      }
    });
    return true;
  } catch (err) {
    if (err instanceof EventGone || isForeignKeyViolation(err)) return false;
    throw err;
  }
}

class EventGone extends Error {}
