// GET /api/account/push/key — the VAPID public key (base64url, 65-byte P-256 point) a browser subscribes with
// (pushManager.subscribe's applicationServerKey). Session only; the key is public but only members subscribe.
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";
import { loadVapidKeys } from "@/lib/push/vapid";

export const GET = route({ access: {} }, async () => ({ publicKey: loadVapidKeys(getEnv().dataDir).publicKey }));
