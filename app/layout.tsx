import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { getViewer } from "@/lib/auth/session";
import { I18nProvider } from "@/lib/i18n/client";
import { serverTimeZone } from "@/lib/time";
import { getRequestLocale } from "@/lib/http/locale";
import "./globals.css";

export const metadata: Metadata = { title: { default: "Nightjar", template: "%s · Nightjar" }, description: "Your cameras, on your own server." };
export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [locale, viewer] = await Promise.all([getRequestLocale(), getViewer()]);
  return (
    <html lang={locale}>
      <body className="min-h-screen bg-zinc-50 font-sans text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <I18nProvider locale={locale} timeZone={viewer?.timeZone || serverTimeZone()}>
          {children}
        </I18nProvider>
      </body>
    </html>
  );
}
