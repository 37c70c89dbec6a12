// DELETE /api/cameras/:id/live/:stream/whep/:session — ends a WebRTC live session (WHEP); only its own member's.
import { route } from "@/lib/http/route";
import { whepDelete, type WhepSessionParams } from "@/lib/http/whep-response";

export const DELETE = route<undefined, WhepSessionParams>({ access: { permission: "video:watch" } }, (ctx) => whepDelete(ctx));
