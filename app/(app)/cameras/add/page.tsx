import Link from "@/app/_components/link";
import { PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { getT } from "@/lib/http/locale";
import { AddCameraWizard } from "./add-camera-wizard";

export async function generateMetadata() {
  return { title: (await getT())("cameras.addTitle") };
}

export default async function AddCameraPage() {
  await requirePageViewer({ permission: "cameras:manage" });
  const t = await getT();
  return (
    <>
      <Link href="/cameras" className="text-sm text-brand-600 hover:underline">
        ← {t("cameras.back")}
      </Link>
      <PageHeader title={t("cameras.addTitle")} />
      <AddCameraWizard />
    </>
  );
}
