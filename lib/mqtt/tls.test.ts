// MQTT over TLS against a real mosquitto with a TLS listener whose certificate a throwaway CA signed (made here with
// openssl in a temp folder; the CA is in no trust store): "Test connection" and the bridge connect when the settings
// accept a self-signed certificate, and report a "tls" problem — without throwing, retrying on the backoff — when they
// do not; TLS to a plain port reads "tls" (not "dropped"); and a private CA trusted through Node's NODE_EXTRA_CA_CERTS
// (what a self-hoster with their own CA sets) connects with the certificate verified.
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { fakeClock } from "../clock";
import { createTestDb, type TestDb } from "../testing/db";
import { createMqttBridge, RECONNECT_MIN_MS, testMqttConnection } from "./bridge";
import { hasMosquitto, startBroker, subscriber, waitFor, type Broker } from "./broker.testing";
import { loadMqttConnection, readMqttStatus, saveMqttSettings } from "./settings";

const KEY = Buffer.alloc(32, 9);

/** A CA and a server certificate for 127.0.0.1/localhost signed by it (EC P-256, valid one day), as PEM files. */
function makeCertificates(dir: string) {
  const f = (name: string) => path.join(dir, name);
  const ssl = (...args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  ssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", f("ca.key"), "-out", f("ca.crt"), "-days", "1", "-subj", "/CN=Nightjar test CA");
  ssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", f("server.key"), "-out", f("server.csr"), "-subj", "/CN=localhost");
  fs.writeFileSync(f("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  ssl("x509", "-req", "-in", f("server.csr"), "-CA", f("ca.crt"), "-CAkey", f("ca.key"), "-CAcreateserial", "-out", f("server.crt"), "-days", "1", "-extfile", f("ext.cnf"));
  return { certfile: f("server.crt"), keyfile: f("server.key"), cafile: f("ca.crt") };
}

const hasOpenssl = () => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

describe("MQTT over TLS with a real mosquitto", { skip: (!hasMosquitto() || !hasOpenssl()) && "mosquitto or openssl not installed (scripts/prerequisites.sh)" }, () => {
  let t: TestDb;
  let broker: Broker;
  let certDir: string;
  let caFile: string;
  before(async () => {
    certDir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-mqtt-tls-"));
    const pki = makeCertificates(certDir);
    caFile = pki.cafile;
    broker = await startBroker({ tls: pki });
    t = await createTestDb();
    await t.db.household.create({ data: { id: 1, name: "Home" } });
  });
  after(async () => {
    await broker.stop();
    await t.cleanup();
    fs.rmSync(certDir, { recursive: true, force: true });
    fs.rmSync(broker.dir, { recursive: true, force: true });
  });

  async function configure(tlsAllowSelfSigned: boolean) {
    await saveMqttSettings(t.db, { enabled: true, host: "127.0.0.1", port: broker.tlsPort!, tls: true, tlsAllowSelfSigned, username: broker.user, password: broker.password, baseTopic: "njtls", discoveryPrefix: "homeassistant" }, KEY);
    return loadMqttConnection(t.db, KEY);
  }

  test("Test connection: an untrusted certificate is a tls problem; accepting self-signed connects", async () => {
    const strict = await testMqttConnection(await configure(false));
    assert.equal(strict.ok, false);
    assert.equal(!strict.ok && strict.problem, "tls", JSON.stringify(strict));
    assert.deepEqual(await testMqttConnection(await configure(true)), { ok: true });
    // Plain MQTT to the TLS port is not a success either.
    const plain = await testMqttConnection({ ...(await configure(true)), tls: false });
    assert.equal(plain.ok, false);
  });

  test("the bridge reports tls without throwing, then connects over TLS once self-signed is accepted", async () => {
    const clock = fakeClock("2026-12-06T12:00:00Z");
    const sub = await subscriber(broker.port, ["njtls/#"]);
    await configure(false);
    const bridge = createMqttBridge(t.db, { clock, credentialsKey: KEY, dataDir: t.dataDir, version: "test" });
    try {
      await bridge.step(); // resolves: a TLS failure is a status, not an exception
      await waitFor(async () => (await readMqttStatus(t.db)).state === "error", "tls error");
      assert.match((await readMqttStatus(t.db)).detail ?? "", /^tls: /);
      assert.equal(sub.last("njtls/status"), undefined, "nothing was published");

      await configure(true);
      clock.advance(2_000);
      await bridge.step();
      await waitFor(async () => (await readMqttStatus(t.db)).state === "connected", "connected over TLS");
      // Published over the TLS listener, seen by a subscriber on the plain one (same broker).
      await waitFor(() => sub.last("njtls/status")?.payload.toString() === "online", "status online");
    } finally {
      await bridge.stop();
      await sub.close();
    }
  });

  test("a listener of the other kind: TLS to the plain port is a tls problem, plain MQTT to the TLS port a protocol one", async () => {
    const c = await configure(true);
    const tlsToPlain = await testMqttConnection({ ...c, port: broker.port });
    assert.equal(!tlsToPlain.ok && tlsToPlain.problem, "tls", JSON.stringify(tlsToPlain));
    const plainToTls = await testMqttConnection({ ...c, tls: false });
    assert.equal(!plainToTls.ok && plainToTls.problem, "protocol", JSON.stringify(plainToTls));
  });

  test("the bridge keeps retrying after a TLS failure (status error again after each backoff attempt)", async () => {
    const clock = fakeClock("2026-12-06T13:00:00Z");
    await configure(false);
    const bridge = createMqttBridge(t.db, { clock, credentialsKey: KEY, dataDir: t.dataDir, version: "test" });
    try {
      await bridge.step();
      await waitFor(async () => (await readMqttStatus(t.db)).state === "error", "tls error");
      const first = await readMqttStatus(t.db);
      assert.match(first.detail ?? "", /^tls: /);
      // The reconnect timer runs on the fake clock: each advance past the backoff is one more attempt, which fails the
      // same way and is written as a new error (its `since` is the attempt's time).
      for (let attempt = 1; attempt <= 2; attempt++) {
        const before = (await readMqttStatus(t.db)).since!;
        clock.advance(RECONNECT_MIN_MS * 2 ** (attempt - 1));
        await waitFor(async () => {
          const s = await readMqttStatus(t.db);
          return s.state === "error" && s.since! > before;
        }, `retry ${attempt} failed again`);
        assert.match((await readMqttStatus(t.db)).detail ?? "", /^tls: /);
      }
    } finally {
      await bridge.stop();
    }
  });

  test("a private CA trusted through NODE_EXTRA_CA_CERTS: connects with the certificate verified (no self-signed option)", async () => {
    const c = await configure(false);
    // NODE_EXTRA_CA_CERTS is read once at start-up: a child process, the way the notifier worker would be started.
    const bridgeModule = fileURLToPath(new URL("./bridge.ts", import.meta.url));
    const script = `const { testMqttConnection } = await import(${JSON.stringify(bridgeModule)}); process.stdout.write(JSON.stringify(await testMqttConnection(JSON.parse(process.env.MQTT_CONNECTION))));`;
    const probe = (extraCa: string | null, host: string) =>
      new Promise<unknown>((resolve, reject) => {
        const env: NodeJS.ProcessEnv = { ...process.env, MQTT_CONNECTION: JSON.stringify({ ...c, host }) };
        if (extraCa) env.NODE_EXTRA_CA_CERTS = extraCa;
        else delete env.NODE_EXTRA_CA_CERTS;
        execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { env, timeout: 60_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout))));
      });
    assert.deepEqual(await probe(caFile, "127.0.0.1"), { ok: true }, "the IP address is in the certificate");
    assert.deepEqual(await probe(caFile, "localhost"), { ok: true }, "so is the name (checked through the SNI server name)");
    const untrusted = (await probe(null, "127.0.0.1")) as { ok: boolean; problem?: string };
    assert.equal(untrusted.problem, "tls", "the same child without the CA refuses");
  });
});
