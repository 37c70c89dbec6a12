// DELETE /api/v1/cameras/:id/live/:stream/whep/:session — ends a WebRTC live session (WHEP); only its own member's.
import { deleteWhep } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { whepDelete, type WhepSessionParams } from "@/lib/http/whep-response";

export const DELETE = route<undefined, WhepSessionParams>({ access: deleteWhep.access }, (ctx) => whepDelete(ctx));
