// The data statement in words, in one language: shared by the page and GET /api/privacy/statement so that both say
// exactly the same. Pure (no next/*): figures are formatted with Intl in the member's language.
import type { Locale } from "../i18n/locales";
import { translate, type MessageParams } from "../i18n/translate";
import type { Audience, DataStatement, Figure, Integration, Processing, Retention, StatementItem, StatementKind } from "./statement";
import { formatBytes } from "../i18n/format";

export type FigureText = { name: string; unit: Figure["unit"]; value: number | null; text: string };

export type StatementItemText = {
  kind: StatementKind;
  title: string;
  purpose: string;
  format: string;
  /** Where it is computed and what never leaves (object detection); empty for the other kinds. */
  processing: string[];
  figures: FigureText[];
  stored: string;
  retention: string;
  visibleTo: string;
  actions: { action: string; label: string; href: string }[];
};

export type StatementText = {
  locale: Locale;
  title: string;
  intro: string;
  nothingLeaves: string;
  integrations: string[];
  totals: string;
  dataFolder: string;
  items: StatementItemText[];
  cameras: { id: string; name: string; kept: string; perDay: string; checks: string; state: string; timelapse: string }[];
};


/** A duration given in seconds, in the largest unit that keeps it readable. */
export function formatSeconds(locale: Locale, seconds: number): string {
  const unit = (value: number, u: "second" | "minute" | "hour" | "day", digits = 0) =>
    new Intl.NumberFormat(locale, { style: "unit", unit: u, unitDisplay: "long", maximumFractionDigits: digits }).format(value);
  if (seconds >= 2 * 86_400) return unit(seconds / 86_400, "day", 1);
  if (seconds >= 2 * 3600) return unit(seconds / 3600, "hour", 1);
  if (seconds >= 120) return unit(seconds / 60, "minute", 1);
  return unit(seconds, "second", 1);
}

export function formatFigure(locale: Locale, figure: Pick<Figure, "unit" | "value">): string | null {
  const v = figure.value;
  if (v === null) return null;
  const num = (n: number, digits = 1) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n);
  switch (figure.unit) {
    case "count":
      return num(v);
    case "bytes":
    case "bytesPerHour":
    case "bytesPerDay":
      return formatBytes(locale, v);
    case "megabytes":
      return new Intl.NumberFormat(locale, { style: "unit", unit: "megabyte", unitDisplay: "short", maximumFractionDigits: 2 }).format(v);
    case "seconds":
      return formatSeconds(locale, v);
    case "days":
      return new Intl.NumberFormat(locale, { style: "unit", unit: "day", unitDisplay: "long" }).format(v);
    case "hours":
      return new Intl.NumberFormat(locale, { style: "unit", unit: "hour", unitDisplay: "long" }).format(v);
    case "pixels":
      return translate(locale, "privacy.statement.units.pixels", { n: num(v, 0) });
    case "kibibytes":
      return translate(locale, "privacy.statement.units.kibibytes", { n: num(v, 0) });
    case "kbps":
      return new Intl.NumberFormat(locale, { style: "unit", unit: "kilobit-per-second", unitDisplay: "short", maximumFractionDigits: 0 }).format(v);
  }
}

function retentionText(locale: Locale, r: Retention): string {
  const t = (key: string, params?: MessageParams) => translate(locale, `privacy.statement.retention.${key}`, params);
  switch (r.rule) {
    case "untilDeleted":
    case "untilChanged":
      return t(r.rule);
    case "session":
      return t("session", { days: r.days });
    case "days":
      return t("days", { days: r.days });
    case "ring":
      return t("ring", { seconds: Math.round(r.seconds) });
    case "hours":
      return t("hours", { hours: r.hours });
    case "device":
    case "household":
    case "correction":
    case "review":
      return t(r.rule);
    case "perCamera": {
      const parts = [
        ...(r.withEvent ? [t("withEvent")] : []),
        r.minDays === null || r.maxDays === null ? t("perCameraNone") : r.minDays === r.maxDays ? t("perCamera", { min: r.minDays }) : t("perCameraRange", { min: r.minDays, max: r.maxDays }),
        r.fromSpanEnd ? t("timelapseNote") : t("protectedNote"),
      ];
      if (r.quotaMb !== null) parts.push(t("quota", { mb: new Intl.NumberFormat(locale).format(r.quotaMb) }));
      return parts.join(" ");
    }
  }
}

/**
 * Where detection runs and what stays here, in words: this server's CPU, the model with its size, file state and
 * licences, how many cameras use it; then that no frame, box or correction leaves, and where labels go (the enabled
 * integrations that carry events, or nowhere).
 */
function processingText(locale: Locale, p: Processing, integrations: Integration[]): string[] {
  const t = (key: string, params?: MessageParams) => translate(locale, `privacy.statement.processing.${key}`, params);
  const m = p.model;
  const names = p.labelsSentTo.map((id) => integrations.find((i) => i.id === id)).filter((i): i is Integration => !!i).map((i) => `${t(`via.${i.kind}`)} ${i.destination}`);
  return [
    t("runsOn", { threads: p.threads, on: p.camerasWithDetection, cameras: p.cameras }),
    t("model", { name: m.name, size: formatBytes(locale, m.bytes), licence: m.licence, author: m.author, package: m.sourcePackage, version: m.sourceVersion, packageLicence: m.sourceLicence }),
    t(`file.${m.file.state}`, { file: m.fileName }),
    names.length ? t("labelsSent", { destinations: names.join(", ") }) : t("nothingSent"),
  ];
}

function itemText(locale: Locale, item: StatementItem, integrations: Integration[] = []): StatementItemText {
  const t = (key: string, params?: MessageParams) => translate(locale, `privacy.statement.${key}`, params);
  const stored = [
    item.storage.tables.length ? t("tables", { tables: item.storage.tables.join(", ") }) : null,
    item.storage.files.length ? t("files", { files: item.storage.files.join(", ") }) : null,
  ].filter((s): s is string => !!s);
  return {
    kind: item.kind,
    title: t(`kinds.${item.kind}.title`),
    purpose: t(`kinds.${item.kind}.purpose`),
    format: t(`kinds.${item.kind}.format`),
    processing: item.processing ? processingText(locale, item.processing, integrations) : [],
    figures: item.figures.map((f) => ({ ...f, text: t(`figures.${f.name}`, { value: formatFigure(locale, f) ?? t("notMeasured") }) })),
    stored: stored.length ? stored.join("; ") : t("nowhere"),
    retention: retentionText(locale, item.retention),
    visibleTo: item.visibleTo.map((a: Audience) => t(`audience.${a}`)).join(", "),
    actions: item.actions.map((a) => ({ action: a.action, label: t(`actionLabels.${a.action}`), href: a.href })),
  };
}

/** One place data goes, in words: where, whether it is on, and what is sent there. */
function destinationText(locale: Locale, i: Integration): string {
  const t = (key: string, params?: MessageParams) => translate(locale, `privacy.statement.destinations.${key}`, params);
  const state = t(i.enabled ? "on" : "off");
  switch (i.kind) {
    case "webhook":
      return translate(locale, "webhooks.statementDestination", {
        host: i.destination,
        state: translate(locale, i.enabled ? "webhooks.statementEnabled" : "webhooks.statementDisabled"),
        events: i.eventTypes.map((type) => translate(locale, `webhooks.types.${type.replace(".", "_")}`)).join(", "),
      });
    case "mqtt":
      return t("mqtt", { host: i.destination, state, security: t(i.tls ? "tls" : "plain") });
    case "smtp":
      return t("smtp", { host: i.destination, state, members: i.recipients, photo: i.photoRecipients });
    case "push":
      return t("push", { host: i.destination, devices: i.devices, members: i.members });
  }
}

export function statementText(statement: DataStatement, locale: Locale, timeZone?: string | null): StatementText {
  const t = (key: string, params?: MessageParams) => translate(locale, `privacy.statement.${key}`, params);
  const time = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium", timeZone: timeZone || undefined }).format(new Date(statement.generatedAt));
  return {
    locale,
    title: t("title"),
    intro: t("intro", { time }),
    // With a destination on, "nothing leaves" would be untrue: the text names the destinations as the exceptions.
    nothingLeaves: statement.integrations.some((i) => i.enabled) ? t("leaves") : t("nothingLeaves"),
    integrations: statement.integrations.length ? statement.integrations.map((i) => destinationText(locale, i)) : [t("integrationsNone")],
    totals: t("totals", {
      database: formatBytes(locale, statement.totals.databaseBytes),
      media: formatBytes(locale, statement.totals.mediaBytes),
      exports: formatBytes(locale, statement.totals.exportsBytes),
      live: formatBytes(locale, statement.totals.liveBytes),
    }),
    dataFolder: t("dataFolder", { path: statement.dataDir }),
    items: statement.items.map((item) => itemText(locale, item, statement.integrations)),
    cameras: statement.cameras.map((c) => ({
      id: c.id,
      name: c.name,
      kept: translate(locale, "privacy.statement.retention.days", { days: c.retentionDays }),
      perDay: formatBytes(locale, c.bytesPerDay),
      checks: c.heartbeatBytesPerHour === null ? t("notMeasured") : formatBytes(locale, c.heartbeatBytesPerHour),
      state: c.privacyMode ? t("privacyMode") : c.recordingEnabled ? t("recording") : t("notRecording"),
      timelapse: c.timelapse.enabled
        ? t("cameraTimelapseOn", { interval: formatSeconds(locale, c.timelapse.intervalSeconds), size: formatBytes(locale, c.timelapse.bytes) })
        : c.timelapse.bytes > 0
          ? t("cameraTimelapseOffKept", { size: formatBytes(locale, c.timelapse.bytes) })
          : t("cameraTimelapseOff"),
    })),
  };
}
