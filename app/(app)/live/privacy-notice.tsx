"use client";
// What a camera in privacy mode shows where its live video would be.
import { useT } from "@/lib/i18n/client";

export function PrivacyNotice({ className = "" }: { className?: string }) {
  const t = useT();
  return (
    <div className={`flex flex-col items-center justify-center gap-1 bg-zinc-200 p-4 text-center dark:bg-zinc-800 ${className}`} data-testid="live-privacy">
      <p className="font-medium">{t("live.privacyTitle")}</p>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("live.privacyText")}</p>
    </div>
  );
}
