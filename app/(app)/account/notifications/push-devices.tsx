"use client";
// Account → Notifications → Push on your devices: subscribe this browser (permission, the service worker, the push
// manager with our VAPID key, then POST /api/account/push/subscriptions), turn it off again, the list of my devices
// with remove buttons, and "Send a test". Clear states where push cannot work: no support, no secure context, blocked.
import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { api, errorMessage } from "@/app/_components/api";
import { FormMessage } from "@/app/_components/fields";
import { useHydrated } from "@/app/_components/hydrated";
import { useFormat, useT } from "@/lib/i18n/client";
import type { PushDeviceJson } from "@/lib/push/subscriptions";

type Support = "checking" | "ready" | "unsupported" | "insecure";
type TestResult = { sent: number; removed: number; failed: string[] };

/** base64url → bytes (applicationServerKey). */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(base64url.length / 4) * 4, "=");
  const raw = atob(base64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

function sameBytes(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.length) return false;
  const view = new Uint8Array(a);
  return view.every((x, i) => x === b[i]);
}

const noSubscription = () => () => {};

function detectSupport(): Support {
  if (!window.isSecureContext) return "insecure";
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) return "unsupported";
  return "ready";
}

export function PushDevices() {
  const t = useT();
  const format = useFormat();
  const hydrated = useHydrated();
  // "checking" while rendered on the server and during hydration; the browser's answer after.
  const support = useSyncExternalStore<Support>(noSubscription, detectSupport, () => "checking");
  const [asked, setAsked] = useState<NotificationPermission | null>(null);
  const permission: NotificationPermission = asked ?? (support === "ready" ? Notification.permission : "default");
  const [devices, setDevices] = useState<PushDeviceJson[] | null>(null);
  const [here, setHere] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    const res = await api<{ devices: PushDeviceJson[] }>("/api/account/push/subscriptions");
    if (res.ok) setDevices(res.data.devices);
    else setError(errorMessage(res.error, t("common.somethingWentWrong")));
  }, [t]);

  useEffect(() => {
    if (detectSupport() === "ready") {
      void navigator.serviceWorker.getRegistration("/").then(async (reg) => setHere((await reg?.pushManager.getSubscription())?.endpoint ?? null));
    }
    // The first load, as a callback (not a state update while the effect runs).
    void api<{ devices: PushDeviceJson[] }>("/api/account/push/subscriptions").then((res) => (res.ok ? setDevices(res.data.devices) : null));
  }, []);

  async function enable() {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const granted = await Notification.requestPermission();
      setAsked(granted);
      if (granted !== "granted") {
        if (granted === "default") setError(t("push.dismissed"));
        return;
      }
      await navigator.serviceWorker.register("/sw.js", { scope: "/", updateViaCache: "none" });
      const reg = await navigator.serviceWorker.ready;
      const key = await api<{ publicKey: string }>("/api/account/push/key");
      if (!key.ok) return setError(errorMessage(key.error, t("push.failed")));
      const serverKey = keyBytes(key.data.publicKey);
      let subscription = await reg.pushManager.getSubscription();
      // A subscription made for another key (the server's keys were renewed) cannot be used: replace it.
      if (subscription && !sameBytes(subscription.options.applicationServerKey, serverKey)) {
        await subscription.unsubscribe();
        subscription = null;
      }
      subscription ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: serverKey });
      const res = await api("/api/account/push/subscriptions", { body: subscription.toJSON() });
      if (!res.ok) return setError(errorMessage(res.error, t("push.failed")));
      setHere(subscription.endpoint);
      await load();
    } catch {
      setError(t("push.failed"));
    } finally {
      setBusy(false);
    }
  }

  async function removeDevice(device: PushDeviceJson) {
    setError(null);
    setNotice(null);
    if (device.endpoint === here) {
      const reg = await navigator.serviceWorker.getRegistration("/");
      await (await reg?.pushManager.getSubscription())?.unsubscribe().catch(() => false);
      setHere(null);
    }
    const res = await api(`/api/account/push/subscriptions/${encodeURIComponent(device.id)}`, { method: "DELETE" });
    if (!res.ok && res.status !== 404) setError(errorMessage(res.error, t("common.somethingWentWrong")));
    await load();
  }

  async function sendTest() {
    setBusy(true);
    setError(null);
    setNotice(null);
    const res = await api<TestResult>("/api/account/push/test", { method: "POST" });
    setBusy(false);
    if (!res.ok) return setError(errorMessage(res.error, t("common.somethingWentWrong")));
    const { sent, removed, failed } = res.data;
    const parts = [sent > 0 ? t("push.testSent", { count: sent }) : null, removed > 0 ? t("push.testRemoved", { count: removed }) : null];
    if (failed.length > 0) setError([...parts.filter(Boolean), t("push.testFailed", { reasons: failed.join("; ") })].join(" "));
    else if (sent === 0 && removed === 0) setError(t("push.testNone"));
    else setNotice(parts.filter(Boolean).join(" "));
    await load();
  }

  const thisDevice = devices?.find((d) => d.endpoint === here) ?? null;
  const stateMessage =
    support === "unsupported" ? t("push.unsupported") : support === "insecure" ? t("push.insecure") : support === "ready" && permission === "denied" ? t("push.denied") : null;

  return (
    <section className="card space-y-4" aria-labelledby="push-devices-heading" data-testid="push-devices">
      <div>
        <h2 id="push-devices-heading" className="text-lg font-semibold">
          {t("push.heading")}
        </h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{t("push.intro")}</p>
      </div>

      {stateMessage ? (
        <p role="status" data-testid="push-state" className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
          {stateMessage}
        </p>
      ) : null}

      <div className="flex flex-wrap items-center gap-2">
        {thisDevice ? (
          <>
            <span className="text-sm text-emerald-700 dark:text-emerald-400">{t("push.enabledHere")}</span>
            <button type="button" className="btn-secondary" disabled={!hydrated || busy} onClick={() => void removeDevice(thisDevice)}>
              {t("push.disable")}
            </button>
          </>
        ) : (
          <button type="button" className="btn-primary" disabled={!hydrated || busy || support !== "ready" || permission === "denied"} onClick={() => void enable()}>
            {busy ? t("push.enabling") : t("push.enable")}
          </button>
        )}
        <button type="button" className="btn-secondary" disabled={!hydrated || busy || !devices?.length} onClick={() => void sendTest()}>
          {t("push.sendTest")}
        </button>
      </div>

      <FormMessage error={error} success={notice} />

      <div>
        <h3 className="mb-2 text-sm font-semibold">{t("push.devices")}</h3>
        {devices && devices.length === 0 ? <p className="text-sm text-zinc-500">{t("push.none")}</p> : null}
        {devices && devices.length > 0 ? (
          <ul aria-label={t("push.devices")} className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {devices.map((d) => {
              const name = d.label ?? t("push.unknownDevice");
              return (
                <li key={d.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                  <div>
                    <span className="font-medium">{name}</span>
                    {d.endpoint === here ? <span className="ml-2 text-xs text-zinc-500">({t("push.thisDevice")})</span> : null}
                    <div className="text-xs text-zinc-500">
                      {t("push.added", { date: format.dateTime(d.createdAt) })}
                      {d.lastOkAt ? ` · ${t("push.lastDelivered", { date: format.dateTime(d.lastOkAt) })}` : null}
                    </div>
                  </div>
                  <button type="button" className="btn-secondary" aria-label={t("push.removeDevice", { name })} disabled={!hydrated} onClick={() => void removeDevice(d)}>
                    {t("push.remove")}
                  </button>
                </li>
              );
            })}
          </ul>
        ) : null}
      </div>
    </section>
  );
}
