"use client";
// Registers the service worker (public/sw.js: push notifications, the offline page) once a signed-in page has loaded.
// Renders nothing. `updateViaCache: "none"`: the browser always asks the server for a newer sw.js.
import { useEffect } from "react";

export function ServiceWorkerRegistration() {
  useEffect(() => {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register("/sw.js", { scope: "/", updateViaCache: "none" }).catch(() => undefined);
  }, []);
  return null;
}
