// GET /api/webhooks/:id/secret — the endpoint's signing secret ("Reveal secret"; the receiver needs it to verify).
// Admins only, and tokens with scope household:manage; never cached (route() answers no-store).
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { revealWebhookSecret } from "@/lib/webhooks/endpoints";

type Params = { id: string };

export const GET = route<undefined, Params>({ access: { permission: "household:manage", token: "household:manage" } }, async ({ params }) => ({
  secret: await revealWebhookSecret(await db(), params.id),
}));
