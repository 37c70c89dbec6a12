// POST /api/cameras/discovery — start a search for ONVIF cameras (admins): multicast, or a sweep of an address range.
import { z } from "zod";
import { cameraError } from "@/lib/cameras/add";
import { db } from "@/lib/db";
import { startDiscovery } from "@/lib/discovery/jobs";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";

const body = z.discriminatedUnion("mode", [z.object({ mode: z.literal("multicast") }), z.object({ mode: z.literal("range"), range: z.string().min(1).max(2000) })]);

export const POST = route({ access: { permission: "cameras:manage" }, body }, async ({ body }) => {
  const env = getEnv();
  try {
    const job = startDiscovery(await db(), body, { port: env.DISCOVERY_PORT, onvifHttpPort: env.ONVIF_HTTP_PORT, interfaces: env.DISCOVERY_INTERFACES?.split(",").map((s) => s.trim()).filter(Boolean) ?? null, allowLoopback: env.DISCOVERY_ALLOW_LOOPBACK });
    return Response.json(job, { status: 202 });
  } catch (err) {
    throw cameraError(err);
  }
});
