import { redirect } from "next/navigation";
import { requirePageViewer } from "@/lib/auth/guard";

export default async function SettingsPage() {
  await requirePageViewer({ permission: "settings:manage" });
  redirect("/settings/household");
}
