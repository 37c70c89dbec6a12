// The detector's findings on an event, written by the recorder (the only writer of events): its labels with their
// best score (EventLabel), its most objects at once (Event.objectCount) and the boxes of its best frame (Detection,
// fractions of the frame; the event photo is taken at that frame). Rewritten whole on each write: a handful of rows.
import type { Db } from "../db";
import { newId } from "../ids";
import type { EventObjects } from "../detection/judge";
import { isForeignKeyViolation } from "../db";

/** Writes what the event has now. False when the event is gone (deleted by a member while it was recorded). */
export async function writeEventObjects(db: Db, eventId: string, acc: EventObjects): Promise<boolean> {
  const labels = [...acc.labels].map(([label, v]) => ({ eventId, label, score: v.score, firstAt: new Date(v.firstAt) }));
  const best = acc.best;
  const boxes = (best?.boxes ?? []).map((b) => ({ id: newId(), eventId, at: new Date(best!.at), label: b.label, score: b.score, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 }));
  try {
    await db.$transaction(async (tx) => {
      const n = await tx.event.updateMany({ where: { id: eventId }, data: { objectCount: acc.objectCount } });
      if (n.count === 0) throw new EventGone();
      for (const l of labels) await tx.eventLabel.upsert({ where: { eventId_label: { eventId, label: l.label } }, create: l, update: { score: l.score } });
      if (best) {
        // The boxes of the best frame replace the previous best frame's, except those a member already marked wrong.
        await tx.detection.deleteMany({ where: { eventId, isWrong: false } });
        if (boxes.length) await tx.detection.createMany({ data: boxes });
      }
    });
    return true;
  } catch (err) {
    if (err instanceof EventGone || isForeignKeyViolation(err)) return false;
    throw err;
  }
}

class EventGone extends Error {}
