// GET /api/cameras/discovery/:id — progress and results of a search (admins). DELETE — cancel it.
import { AppError } from "@/lib/errors";
import { cancelDiscovery, getDiscovery } from "@/lib/discovery/jobs";
import { route } from "@/lib/http/route";

type Params = { id: string };

export const GET = route<undefined, Params>({ access: { permission: "cameras:manage" } }, async ({ params }) => {
  const job = getDiscovery(params.id);
  if (!job) throw new AppError("not_found");
  return job;
});

export const DELETE = route<undefined, Params>({ access: { permission: "cameras:manage" } }, async ({ params }) => {
  if (!cancelDiscovery(params.id)) throw new AppError("not_found");
  return { ok: true };
});
