import { redirect } from "next/navigation";
import { requirePageViewer } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

export default async function Home() {
  await requirePageViewer();
  redirect("/live");
}
