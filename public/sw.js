// Nightjar's service worker (scope "/", registered by app/(app)/service-worker-registration.tsx). It does three things:
//   push               show the notification a push message describes (lib/push/send.ts PushPayload, decrypted by the browser)
//   notificationclick  focus a Nightjar window (or open one) on the notification's page of this server
//   fetch              page navigations only: network first; when the network fails, the offline page
// What it caches: the offline page and the icons, precached at install, nothing else. Media, /api/ answers and pages
// (a signed-in member's) always come from the network and are never stored here.
"use strict";

const CACHE = "nightjar-shell-v1";
const OFFLINE_URL = "/offline.html";
const ICON = "/icons/icon-192.png";
const BADGE = "/icons/badge-96.png";
const PRECACHE = [OFFLINE_URL, ICON, "/icons/icon-512.png", "/icons/maskable-192.png", "/icons/maskable-512.png", BADGE];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      // Lets the navigation request start while the worker boots (the answer is still the network's, never cached).
      if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(
      (async () => {
        try {
          const preloaded = await event.preloadResponse;
          return preloaded || (await fetch(request));
        } catch {
          return (await caches.match(OFFLINE_URL)) || Response.error();
        }
      })(),
    );
    return;
  }
  // The precached files (icons, the offline page): from the cache, else the network. Everything else is untouched.
  if (PRECACHE.includes(url.pathname) && !url.search) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(request)));
  }
});

/** A path of this server to open, from the message's url ("/" for anything else). */
function samePath(raw) {
  try {
    const url = new URL(raw, self.location.origin);
    return url.origin === self.location.origin ? url.pathname + url.search + url.hash : "/";
  } catch {
    return "/";
  }
}

self.addEventListener("push", (event) => {
  let payload = null;
  try {
    payload = event.data ? event.data.json() : null;
  } catch {
    payload = null;
  }
  const title = (payload && typeof payload.title === "string" && payload.title) || "Nightjar";
  const options = {
    body: payload && typeof payload.body === "string" ? payload.body : "",
    tag: payload && typeof payload.tag === "string" ? payload.tag : undefined,
    data: { url: samePath(payload && payload.url) },
    icon: ICON,
    badge: BADGE,
    timestamp: payload && payload.at ? Date.parse(payload.at) || Date.now() : Date.now(),
  };
  // Only a thumbnail the member opted into, carried inside the encrypted message (a data: URL): nothing is fetched.
  if (payload && typeof payload.image === "string" && payload.image.startsWith("data:image/")) options.image = payload.image;
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const path = samePath(event.notification.data && event.notification.data.url);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const target = new URL(path, self.location.origin).href;
      const exact = windows.find((w) => w.url === target);
      if (exact) return exact.focus();
      const any = windows.find((w) => new URL(w.url).origin === self.location.origin);
      if (any) {
        await any.focus();
        return any.navigate(target).catch(() => self.clients.openWindow(target));
      }
      return self.clients.openWindow(target);
    })(),
  );
});

// The browser renewed the subscription (the old one expired): subscribe again with the same key and tell the server.
// The old endpoint answers 410 on its next use and is removed then.
self.addEventListener("pushsubscriptionchange", (event) => {
  const options = event.oldSubscription && event.oldSubscription.options;
  if (!options || !options.applicationServerKey) return;
  event.waitUntil(
    self.registration.pushManager
      .subscribe({ userVisibleOnly: true, applicationServerKey: options.applicationServerKey })
      .then((subscription) =>
        fetch("/api/account/push/subscriptions", {
          method: "POST",
          credentials: "same-origin",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(subscription.toJSON()),
        }),
      )
      .catch(() => undefined),
  );
});
