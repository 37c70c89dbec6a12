// Message lookup and formatting, shared by server and browser (the catalogues are in ./messages). Formats {name}
// placeholders and ICU-style plurals ({count, plural, one {# item} other {# items}}) with Intl.PluralRules only.
import type { Locale } from "./locales";
import { CATALOGUES, en, type MessageKey, type Messages } from "./messages";

// The catalogues and their types are defined in ./messages; re-exported because pages import translate.ts.
export { CATALOGUES, type MessageKey, type Messages };

export type MessageParams = Record<string, string | number>;

function lookup(messages: Messages, key: string): string | undefined {
  let node: unknown = messages;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}

/** Formats one message text with its parameters. */
export function formatMessage(locale: Locale, text: string, params: MessageParams = {}): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{", i);
    if (open < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, open);
    const close = matchingBrace(text, open);
    const inner = text.slice(open + 1, close);
    const plural = /^\s*(\w+)\s*,\s*plural\s*,([\s\S]*)$/.exec(inner);
    if (plural) {
      const n = Number(params[plural[1]] ?? 0);
      const forms = parsePluralForms(plural[2]);
      const form = forms[`=${n}`] ?? forms[new Intl.PluralRules(locale).select(n)] ?? forms.other ?? "";
      out += formatMessage(locale, form, params).replace(/#/g, new Intl.NumberFormat(locale).format(n));
    } else {
      const name = inner.trim();
      out += name in params ? String(params[name]) : `{${name}}`;
    }
    i = close + 1;
  }
  return out;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  throw new Error(`unbalanced braces in message: ${text}`);
}

function parsePluralForms(spec: string): Record<string, string> {
  const forms: Record<string, string> = {};
  let i = 0;
  while (i < spec.length) {
    const m = /\s*(=?\w+)\s*\{/y;
    m.lastIndex = i;
    const hit = m.exec(spec);
    if (!hit) break;
    const open = m.lastIndex - 1;
    const close = matchingBrace(spec, open);
    forms[hit[1]] = spec.slice(open + 1, close);
    i = close + 1;
  }
  return forms;
}

/** Translates `key`; falls back to `fallbackKey`, then to English, then to the key itself. */
export function translate(locale: Locale, key: string, params?: MessageParams, fallbackKey?: string): string {
  const text =
    lookup(CATALOGUES[locale], key) ??
    (fallbackKey ? lookup(CATALOGUES[locale], fallbackKey) : undefined) ??
    lookup(en, key) ??
    (fallbackKey ? lookup(en, fallbackKey) : undefined) ??
    key;
  return formatMessage(locale, text, params);
}

export type Translator = (key: MessageKey, params?: MessageParams) => string;

export function translator(locale: Locale): Translator {
  return (key, params) => translate(locale, key, params);
}
