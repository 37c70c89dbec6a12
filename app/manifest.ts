// The web app manifest (served by Next at /manifest.webmanifest, linked from every page's head): what makes Nightjar
// installable (phones need the installed app for push). Static and the same for everyone: no household name, no
// member, nothing from the database. Icons: public/icons (scripts/make-icons.ts, from app/icon.svg).
import type { MetadataRoute } from "next";

export default function manifest(): MetadataRoute.Manifest {
  return {
    id: "/",
    name: "Nightjar",
    short_name: "Nightjar",
    description: "Your cameras, on your own server.",
    start_url: "/live",
    scope: "/",
    display: "standalone",
    background_color: "#fafafa",
    theme_color: "#2259c0",
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icons/maskable-192.png", sizes: "192x192", type: "image/png", purpose: "maskable" },
      { src: "/icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
}
