// POST /api/v1/cameras/:id/live/:stream/whep — live over WebRTC for programs (WHEP, RFC 9725), with a token
// (live:watch): the app's own WHEP (lib/http/whep-response.ts), its session under /api/v1 for DELETE.
import { postWhep } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { whepOffer, type WhepParams } from "@/lib/http/whep-response";

export const POST = route<undefined, WhepParams>({ access: postWhep.access, activity: ({ params }) => ({ action: "live.view", cameraId: params.id }) }, (ctx) => whepOffer(ctx));
