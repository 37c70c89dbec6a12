// POST /api/cameras/:id/live/:stream/whep — live over WebRTC (WHEP, RFC 9725): an SDP offer (application/sdp) in, 201
// with the SDP answer and Location (the session, for DELETE) out; for members who may see the camera.
import { route } from "@/lib/http/route";
import { whepOffer, type WhepParams } from "@/lib/http/whep-response";

export const POST = route<undefined, WhepParams>({ access: { permission: "video:watch" }, activity: ({ params }) => ({ action: "live.view", cameraId: params.id }) }, (ctx) => whepOffer(ctx));
