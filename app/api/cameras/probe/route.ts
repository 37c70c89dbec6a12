// POST /api/cameras/probe — check an RTSP(S) URL before adding it (admins): codec, resolution, fps, audio, bitrate.
import { z } from "zod";
import { probeCameraStream } from "@/lib/cameras/add";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";

const body = z.object({ url: z.string().max(2048), username: z.string().max(256).optional(), password: z.string().max(256).optional() });

export const POST = route({ access: { permission: "cameras:manage" }, body }, async ({ body }) => {
  const credentials = body.username || body.password ? { username: body.username ?? "", password: body.password ?? "" } : null;
  return probeCameraStream(getEnv().FFPROBE_PATH, { url: body.url, credentials });
});
