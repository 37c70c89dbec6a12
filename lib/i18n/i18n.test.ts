import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { LOCALES, matchAcceptLanguage, resolveLocale } from "./locales";
import { formatDateTime } from "./format";
import { CATALOGUES, formatMessage, translate } from "./translate";

function leaves(obj: unknown, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (typeof v === "string") out.set(prefix + k, v);
    else for (const [kk, vv] of leaves(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}
const placeholders = (s: string) => [...s.matchAll(/\{\s*(\w+)\s*[,}]/g)].map((m) => m[1]).sort();

describe("catalogues", () => {
  const en = leaves(CATALOGUES.en);
  for (const locale of LOCALES.filter((l) => l !== "en")) {
    test(`${locale} has every English key, the same placeholders, and is translated`, () => {
      const other = leaves(CATALOGUES[locale]);
      assert.deepEqual([...other.keys()].sort(), [...en.keys()].sort());
      let same = 0;
      for (const [key, text] of en) {
        assert.deepEqual(placeholders(other.get(key)!), placeholders(text), `${locale} ${key}`);
        if (other.get(key) === text) same++;
      }
      // A few strings are the same in every language ("Nightjar", "Live", "E-mail"…); most must differ.
      assert.ok(same < en.size * 0.15, `${locale}: ${same} of ${en.size} strings are still English`);
    });
  }
});

describe("formatMessage", () => {
  const cases: [string, string, Record<string, string | number>, string][] = [
    ["en", "Hello {name}", { name: "Anna" }, "Hello Anna"],
    ["en", "Missing {name}", {}, "Missing {name}"],
    ["en", "{n, plural, one {# second} other {# seconds}}", { n: 1 }, "1 second"],
    ["en", "{n, plural, one {# second} other {# seconds}}", { n: 45 }, "45 seconds"],
    ["en", "{n, plural, =0 {none} one {# item} other {# items}}", { n: 0 }, "none"],
    ["de", "Noch {n, plural, one {# Sekunde} other {# Sekunden}}.", { n: 2 }, "Noch 2 Sekunden."],
    ["en", "{n, plural, one {# file} other {# files}} by {who}", { n: 1200, who: "B" }, "1,200 files by B"],
  ];
  for (const [locale, text, params, expected] of cases) test(`${text} ${JSON.stringify(params)}`, () => assert.equal(formatMessage(locale as "en", text, params), expected));

  test("translate falls back to English, then to the key", () => {
    assert.equal(translate("nl", "nav.account"), "Account");
    assert.equal(translate("de", "no.such.key"), "no.such.key");
    assert.equal(translate("sv", "fieldErrors.nope", {}, "fieldErrors.invalid"), translate("sv", "fieldErrors.invalid"));
  });
});

describe("locale choice", () => {
  const cases: [string | null, string | null][] = [
    ["nl-BE,nl;q=0.9,en;q=0.8", "nl"],
    ["fr-FR,fr;q=0.9,de;q=0.5", "de"],
    ["en-GB;q=0.2,sv;q=0.9", "sv"],
    ["fr,es", null],
    ["", null],
    [null, null],
    ["*", null],
    ["de;q=0", null],
  ];
  for (const [header, expected] of cases) test(`Accept-Language ${JSON.stringify(header)} → ${expected}`, () => assert.equal(matchAcceptLanguage(header), expected));

  test("profile beats cookie beats browser beats English", () => {
    assert.equal(resolveLocale({ profile: "sv", cookie: "de", acceptLanguage: "nl" }), "sv");
    assert.equal(resolveLocale({ profile: null, cookie: "de", acceptLanguage: "nl" }), "de");
    assert.equal(resolveLocale({ profile: "xx", cookie: "yy", acceptLanguage: "nl" }), "nl");
    assert.equal(resolveLocale({}), "en");
  });
});

describe("times in the member's zone and language", () => {
  const instant = "2026-07-01T22:30:00Z";
  const cases: [string, string | null, RegExp][] = [
    ["en", "UTC", /Jul 1, 2026.*10:30\sPM/],
    ["en", "Asia/Tokyo", /Jul 2, 2026.*7:30\sAM/],
    ["de", "Europe/Berlin", /02\.07\.2026.*00:30/],
    ["nl", "America/New_York", /1 jul 2026.*18:30/],
    ["sv", "Europe/Stockholm", /2 juli 2026.*00:30/],
  ];
  for (const [locale, zone, expected] of cases) {
    test(`${locale} in ${zone}`, () => assert.match(formatDateTime(locale as "en", zone, instant), expected));
  }
});

describe("one layout for messages", () => {
  const dir = path.join(import.meta.dirname, "messages");
  const root = path.resolve(import.meta.dirname, "../..");

  test("every file in lib/i18n/messages holds one top-level section in every language, assembled in index.ts", () => {
    const index = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      assert.ok(entry.isFile() && entry.name.endsWith(".ts"), `${entry.name}: lib/i18n/messages holds only one .ts file per section`);
      if (entry.name === "index.ts") continue;
      const name = entry.name.slice(0, -3);
      assert.ok(!(LOCALES as readonly string[]).includes(name), `${entry.name} is a one-language catalogue`);
      const src = fs.readFileSync(path.join(dir, entry.name), "utf8");
      const exported = [...src.matchAll(/^export\b.*$/gm)].map((m) => m[0]);
      assert.deepEqual(exported, [`export const ${name}Messages = { en, nl, de, sv } satisfies InEveryLocale<typeof en>;`], entry.name);
      for (const locale of LOCALES.filter((l) => l !== "en")) {
        assert.ok(src.includes(`\nconst ${locale}: TranslationOf<typeof en> = {\n`), `${entry.name}: ${locale} must be typed TranslationOf<typeof en>`);
      }
      assert.match(index, new RegExp(`^import \\{ ${name}Messages \\} from "\\./${name}";$`, "m"), `${entry.name} is not imported by index.ts`);
      assert.ok(name in CATALOGUES.en, `${entry.name} is not a section of the catalogues`);
    }
  });

  test("Messages, MessageKey and CATALOGUES are declared in lib/i18n/messages/index.ts only", () => {
    const declares: Record<string, string[]> = { Messages: [], MessageKey: [], CATALOGUES: [] };
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) {
          if (!["node_modules", "generated", ".next"].includes(e.name)) walk(p);
        } else if (/\.tsx?$/.test(e.name)) {
          const src = fs.readFileSync(p, "utf8");
          for (const name of Object.keys(declares)) {
            if (new RegExp(`^\\s*(?:export\\s+)?(?:declare\\s+)?(?:type|interface|class|const|let|var|function)\\s+${name}\\b`, "m").test(src)) declares[name].push(path.relative(root, p));
          }
        }
      }
    };
    for (const top of ["app", "lib", "workers", "scripts", "e2e"]) if (fs.existsSync(path.join(root, top))) walk(path.join(root, top));
    for (const [name, files] of Object.entries(declares)) assert.deepEqual(files, [path.join("lib", "i18n", "messages", "index.ts")], name);
  });
});
