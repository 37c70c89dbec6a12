// The review count once per server request (web only: React's cache()). The app's layout shows it in the navigation
// and the Events page shows it again; both call countToReviewOnce, so one render runs one query. Outside a React
// server render (workers, tests) cache() does not memoize and every call counts afresh. Kept apart from review.ts so
// that the workers' modules never load React.
import { cache } from "react";
import type { Db } from "../db";
import type { Role } from "../household/roles";
import { countToReview } from "./review";

/** countToReview(db, { id, role }) memoized per request; the key is the arguments themselves (primitives and the process-wide client). */
export const countToReviewOnce = cache((db: Db, viewerId: string, role: Role): Promise<number> => countToReview(db, { id: viewerId, role }));
