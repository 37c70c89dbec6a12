// POST /api/cameras/onvif — read an ONVIF camera with the admin's credentials: maker, model, firmware, streams.
import { z } from "zod";
import { identifyOnvifCamera } from "@/lib/cameras/add";
import { route } from "@/lib/http/route";

const body = z.object({ xaddr: z.url().max(2048).refine((u) => /^https?:/i.test(u), "invalid_url"), username: z.string().max(256), password: z.string().max(256) });

export const POST = route({ access: { permission: "cameras:manage" }, body }, async ({ body }) => identifyOnvifCamera(body.xaddr, { username: body.username, password: body.password }));
