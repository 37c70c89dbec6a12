// The household's SMTP server (IntegrationSettings "smtp"): its settings (host, port, security, user, from address;
// the password sealed with the credentials key like camera credentials, never shown again), sending one message
// through it with nodemailer, and the "smtp" IntegrationStatus row the settings page shows. Nightjar sends e-mail
// only here, to members' own addresses.
import nodemailer from "nodemailer";
import { z } from "zod";
import type { Db } from "../db";
import { AppError } from "../errors";
import { openSecret, sealSecret } from "../secrets";

export const SMTP_ID = "smtp";
export const SMTP_SECURITY = ["none", "starttls", "tls"] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];
/** Connecting and the server's greeting, each at most, ms. */
export const SMTP_CONNECT_TIMEOUT_MS = 10_000;
/** Silence on an open connection at most, ms. */
export const SMTP_SOCKET_TIMEOUT_MS = 30_000;

/** The stored config (no secrets). */
export const smtpConfigSchema = z.object({
  host: z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.\-:[\]]+$/, "invalid"),
  port: z.number().int().min(1).max(65_535),
  security: z.enum(SMTP_SECURITY),
  user: z.string().max(254).default(""),
  from: z.email().max(254),
});
export type SmtpConfig = z.output<typeof smtpConfigSchema>;

/** The body of PUT /api/household/smtp: password absent = keep, "" = remove, text = replace. */
export const smtpSettingsInput = smtpConfigSchema.extend({ enabled: z.boolean(), password: z.string().max(1024).optional() });
export type SmtpSettingsInput = z.output<typeof smtpSettingsInput>;

export type SmtpStatus = { state: string; detail: string | null; since: Date; lastOkAt: Date | null } | null;
/** What the settings page shows: never the password, only whether one is stored. */
export type SmtpSettingsView = { enabled: boolean; config: SmtpConfig | null; hasPassword: boolean; status: SmtpStatus };
/** Everything needed to send (the password opened). */
export type SmtpTransportSettings = SmtpConfig & { password: string | null };

function parseConfig(json: string): SmtpConfig | null {
  try {
    const r = smtpConfigSchema.safeParse(JSON.parse(json));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

export async function getSmtpSettings(db: Db): Promise<SmtpSettingsView> {
  const [row, status] = await Promise.all([db.integrationSettings.findUnique({ where: { id: SMTP_ID } }), db.integrationStatus.findUnique({ where: { id: SMTP_ID } })]);
  return {
    enabled: row?.enabled ?? false,
    config: row ? parseConfig(row.config) : null,
    hasPassword: !!row?.passwordEnc,
    status: status ? { state: status.state, detail: status.detail, since: status.since, lastOkAt: status.lastOkAt } : null,
  };
}

/** Saves the settings; returns the names of the fields that changed (for the activity record; never values). */
export async function saveSmtpSettings(db: Db, input: SmtpSettingsInput, credentialsKey: Buffer): Promise<{ changed: string[] }> {
  const { enabled, password, ...rest } = input;
  const config = smtpConfigSchema.parse(rest);
  const before = await db.integrationSettings.findUnique({ where: { id: SMTP_ID } });
  const old = before ? parseConfig(before.config) : null;
  const changed: string[] = (Object.keys(config) as (keyof SmtpConfig)[]).filter((k) => old?.[k] !== config[k]);
  if ((before?.enabled ?? false) !== enabled) changed.push("enabled");
  if (password !== undefined) changed.push("password");
  const passwordEnc = password === undefined ? undefined : password === "" ? null : sealSecret(password, credentialsKey);
  const data = { enabled, config: JSON.stringify(config), ...(passwordEnc !== undefined ? { passwordEnc } : {}) };
  await db.integrationSettings.upsert({ where: { id: SMTP_ID }, create: { id: SMTP_ID, ...data }, update: data });
  if (!enabled) await writeSmtpStatus(db, "disabled", null);
  return { changed };
}

/** The settings to send with, or null when e-mail is off or not set up. */
export async function loadSmtpTransport(db: Db, credentialsKey: Buffer): Promise<SmtpTransportSettings | null> {
  const row = await db.integrationSettings.findUnique({ where: { id: SMTP_ID } });
  if (!row?.enabled) return null;
  const config = parseConfig(row.config);
  if (!config) return null;
  let password: string | null = null;
  if (row.passwordEnc) {
    try {
      password = openSecret(row.passwordEnc, credentialsKey);
    } catch {
      throw new AppError("validation", {}, { password: "invalid" });
    }
  }
  return { ...config, password };
}

export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; content: Buffer; contentType: string; cid?: string }[];
};

export type SendOutcome = { ok: true; response: string } | { ok: false; error: string };

/** Sends one message (a fresh connection each time: a few e-mails per event, and a dead server never lingers). Never throws. */
export async function sendSmtpMail(settings: SmtpTransportSettings, message: MailMessage): Promise<SendOutcome> {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === "tls",
    requireTLS: settings.security === "starttls",
    ignoreTLS: settings.security === "none",
    auth: settings.user ? { user: settings.user, pass: settings.password ?? "" } : undefined,
    connectionTimeout: SMTP_CONNECT_TIMEOUT_MS,
    greetingTimeout: SMTP_CONNECT_TIMEOUT_MS,
    socketTimeout: SMTP_SOCKET_TIMEOUT_MS,
  });
  try {
    const info = await transport.sendMail({ from: settings.from, ...message });
    return { ok: true, response: String(info.response ?? "") };
  } catch (err) {
    return { ok: false, error: smtpErrorText(err) };
  } finally {
    transport.close();
  }
}

/** A short reason for the log: the SMTP code and the server's words, or the network error; no credentials. */
export function smtpErrorText(err: unknown): string {
  const e = err as { responseCode?: number; response?: string; code?: string; message?: string };
  const text = e.response ?? e.message ?? String(err);
  const prefix = e.responseCode ? `SMTP ${e.responseCode}` : e.code ? e.code : "error";
  const body = text.replace(/\s+/g, " ").trim().slice(0, 160);
  return body.startsWith(String(e.responseCode ?? "\u0000")) ? `SMTP ${body}` : `${prefix}: ${body}`;
}

/** Writes the "smtp" status row: "connected" after a message was accepted, "error" with the reason otherwise. */
export async function writeSmtpStatus(db: Db, state: "connected" | "error" | "disabled", detail: string | null, now = new Date()): Promise<void> {
  const before = await db.integrationStatus.findUnique({ where: { id: SMTP_ID } });
  const since = before && before.state === state ? before.since : now;
  const lastOkAt = state === "connected" ? now : (before?.lastOkAt ?? null);
  await db.integrationStatus.upsert({ where: { id: SMTP_ID }, create: { id: SMTP_ID, state, detail, since, lastOkAt }, update: { state, detail, since, lastOkAt } });
}

/** "Send test": one message to the admin's own address with the saved settings; writes the status either way. */
export async function sendSmtpTest(db: Db, credentialsKey: Buffer, to: string, text: { subject: string; body: string }): Promise<SendOutcome> {
  const settings = await loadSmtpTransport(db, credentialsKey);
  if (!settings) throw new AppError("validation", {}, { enabled: "invalid" });
  const outcome = await sendSmtpMail(settings, { to, subject: text.subject, text: text.body });
  await writeSmtpStatus(db, outcome.ok ? "connected" : "error", outcome.ok ? null : outcome.error);
  return outcome;
}
