import Link from "@/app/_components/link";
import { getT } from "@/lib/http/locale";

export default async function NotFound() {
  const t = await getT();
  return (
    <main className="mx-auto max-w-lg px-4 py-16 text-center">
      <h1 className="text-2xl font-semibold">{t("notFound.title")}</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">{t("notFound.text")}</p>
      <Link href="/live" className="btn-secondary mt-6">
        {t("common.backHome")}
      </Link>
    </main>
  );
}
