"use client";
// The MQTT form (PUT /api/household/mqtt) with "Test connection" (POST /api/household/mqtt/test), the bridge's live
// status (GET /api/household/mqtt every STATUS_POLL_MS) and the topics Home Assistant and automations can use.
import { useEffect, useState } from "react";
import { api, errorMessage } from "@/app/_components/api";
import { FormMessage, PasswordField, TextField } from "@/app/_components/fields";
import { useFormat, useT } from "@/lib/i18n/client";
import type { MqttConfig, MqttState } from "@/lib/mqtt/settings";

/** How often the status line is refreshed, ms (the worker re-reads the settings every 2 s). */
const STATUS_POLL_MS = 2_000;

type Status = { state: MqttState; detail: string | null; since: string | null; lastOkAt: string | null };
type Settings = MqttConfig & { enabled: boolean; hasPassword: boolean };
type Props = { initial: Settings; status: Status };
type TestResult = { ok: true } | { ok: false; problem: "unreachable" | "auth" | "tls" | "dropped" | "protocol"; detail: string };

export function MqttForm({ initial, status: initialStatus }: Props) {
  const t = useT();
  const fmt = useFormat();
  const [enabled, setEnabled] = useState(initial.enabled);
  const [host, setHost] = useState(initial.host);
  const [port, setPort] = useState(String(initial.port));
  const [tls, setTls] = useState(initial.tls);
  const [selfSigned, setSelfSigned] = useState(initial.tlsAllowSelfSigned);
  const [username, setUsername] = useState(initial.username ?? "");
  const [password, setPassword] = useState("");
  const [removePassword, setRemovePassword] = useState(false);
  const [hasPassword, setHasPassword] = useState(initial.hasPassword);
  const [baseTopic, setBaseTopic] = useState(initial.baseTopic);
  const [discoveryPrefix, setDiscoveryPrefix] = useState(initial.discoveryPrefix);
  const [savedBase, setSavedBase] = useState(initial.baseTopic);
  const [savedPrefix, setSavedPrefix] = useState(initial.discoveryPrefix);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<{ error?: string; success?: string }>({});
  const [testing, setTesting] = useState(false);
  const [test, setTest] = useState<{ ok: boolean; text: string } | null>(null);
  const [status, setStatus] = useState(initialStatus);

  useEffect(() => {
    let stopped = false;
    const timer = setInterval(async () => {
      const res = await api<{ status: Status }>("/api/household/mqtt");
      if (!stopped && res.ok) setStatus(res.data.status);
    }, STATUS_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);

  function body() {
    return {
      enabled,
      host,
      port: Number(port),
      tls,
      tlsAllowSelfSigned: tls && selfSigned,
      username: username || null,
      baseTopic,
      discoveryPrefix,
      ...(removePassword ? { password: "" } : password ? { password } : {}),
    };
  }

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setMsg({});
    const res = await api<{ settings: Settings; status: Status }>("/api/household/mqtt", { method: "PUT", body: body() });
    if (res.ok) {
      setFields({});
      setHasPassword(res.data.settings.hasPassword);
      setPassword("");
      setRemovePassword(false);
      setSavedBase(res.data.settings.baseTopic);
      setSavedPrefix(res.data.settings.discoveryPrefix);
      setStatus(res.data.status);
      setMsg({ success: t("mqtt.saved") });
    } else {
      setFields(Object.fromEntries(Object.entries(res.error.fields ?? {}).map(([k, v]) => [k, v.message])));
      setMsg({ error: errorMessage(res.error, t("errors.internal")) });
    }
  }

  async function runTest() {
    setTesting(true);
    setTest(null);
    const res = await api<TestResult>("/api/household/mqtt/test", { body: body() });
    setTesting(false);
    if (!res.ok) {
      setFields(Object.fromEntries(Object.entries(res.error.fields ?? {}).map(([k, v]) => [k, v.message])));
      return setTest({ ok: false, text: errorMessage(res.error, t("errors.internal")) });
    }
    const r = res.data;
    setTest(r.ok ? { ok: true, text: t("mqtt.testOk") } : { ok: false, text: t("mqtt.testFailed", { problem: t(`mqtt.problems.${r.problem}`), detail: r.detail }) });
  }

  const topics: [string, string][] = [
    [`${savedBase}/status`, t("mqtt.topics.status")],
    [`${savedBase}/mode`, t("mqtt.topics.mode")],
    [`${savedBase}/<cameraId>/motion`, t("mqtt.topics.motion")],
    [`${savedBase}/<cameraId>/availability`, t("mqtt.topics.availability")],
    [`${savedBase}/<cameraId>/event`, t("mqtt.topics.event")],
    [`${savedBase}/<cameraId>/snapshot`, t("mqtt.topics.snapshot")],
    [`${savedBase}/<cameraId>/armed`, t("mqtt.topics.switches")],
    [`${savedPrefix}/…/config`, t("mqtt.topics.discovery")],
  ];

  return (
    <div className="max-w-2xl space-y-6">
      <form onSubmit={save} className="card space-y-4" aria-label={t("mqtt.title")}>
        <p className="text-sm" data-testid="mqtt-status" aria-live="polite">
          <span className="font-semibold">{t("mqtt.status")}:</span> <span data-state={status.state}>{t(`mqtt.states.${status.state}`)}</span>
          {status.detail ? ` — ${status.detail}` : ""}
          {status.since ? ` · ${t("mqtt.since", { time: fmt.dateTime(status.since) })}` : ""}
          {status.lastOkAt && status.state !== "connected" ? ` · ${t("mqtt.lastOk", { time: fmt.dateTime(status.lastOkAt) })}` : ""}
        </p>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          {t("mqtt.enabled")}
        </label>
        <TextField label={t("mqtt.host")} value={host} onChange={(e) => setHost(e.target.value)} error={fields.host} required={enabled} autoComplete="off" />
        <TextField label={t("mqtt.port")} type="number" min={1} max={65535} value={port} onChange={(e) => setPort(e.target.value)} error={fields.port} required />
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={tls} onChange={(e) => setTls(e.target.checked)} />
          {t("mqtt.tls")}
        </label>
        {tls ? (
          <div>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={selfSigned} onChange={(e) => setSelfSigned(e.target.checked)} aria-describedby="mqtt-self-signed-hint" />
              {t("mqtt.tlsAllowSelfSigned")}
            </label>
            <p id="mqtt-self-signed-hint" className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
              {t("mqtt.tlsAllowSelfSignedHint")}
            </p>
          </div>
        ) : null}
        <TextField label={t("mqtt.username")} value={username} onChange={(e) => setUsername(e.target.value)} error={fields.username} optional autoComplete="off" />
        <PasswordField
          label={t("mqtt.password")}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fields.password}
          optional
          autoComplete="new-password"
          hint={hasPassword ? t("mqtt.passwordStored") : t("mqtt.passwordNotStored")}
        />
        {hasPassword ? (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={removePassword} onChange={(e) => setRemovePassword(e.target.checked)} />
            {t("mqtt.removePassword")}
          </label>
        ) : null}
        <TextField label={t("mqtt.baseTopic")} value={baseTopic} onChange={(e) => setBaseTopic(e.target.value)} error={fields.baseTopic} hint={t("mqtt.baseTopicHint")} required />
        <TextField label={t("mqtt.discoveryPrefix")} value={discoveryPrefix} onChange={(e) => setDiscoveryPrefix(e.target.value)} error={fields.discoveryPrefix} hint={t("mqtt.discoveryPrefixHint")} required />
        <FormMessage error={msg.error} success={msg.success} />
        <p role="status" aria-label={t("mqtt.testResult")} data-testid="mqtt-test-result" data-ok={test ? String(test.ok) : undefined} className={test ? (test.ok ? "text-sm text-emerald-700 dark:text-emerald-300" : "text-sm text-red-700 dark:text-red-300") : "sr-only"}>
          {testing ? t("mqtt.testing") : (test?.text ?? "")}
        </p>
        <div className="flex gap-3">
          <button type="submit" className="btn-primary">
            {t("mqtt.save")}
          </button>
          <button type="button" className="btn-secondary" disabled={testing} onClick={() => void runTest()}>
            {t("mqtt.test")}
          </button>
        </div>
      </form>
      <section className="card" aria-labelledby="mqtt-topics">
        <h2 id="mqtt-topics" className="mb-2 font-semibold">
          {t("mqtt.topicsTitle")}
        </h2>
        <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">{t("mqtt.topicsIntro")}</p>
        <ul className="space-y-1 text-sm" data-testid="mqtt-topics">
          {topics.map(([topic, what]) => (
            <li key={topic}>
              <code className="font-mono">{topic}</code> — {what}
            </li>
          ))}
        </ul>
        <p className="mt-3 text-xs text-zinc-500 dark:text-zinc-400">{t("mqtt.cameraIdHint")}</p>
      </section>
    </div>
  );
}
