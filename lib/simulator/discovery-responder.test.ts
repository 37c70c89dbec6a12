import assert from "node:assert/strict";
import dgram from "node:dgram";
import { describe, test } from "node:test";
import { buildProbe, parseProbeMatches } from "../onvif/discovery-messages";
import { checkMulticastLoopback, stableEndpoint, startDiscoveryResponder } from "./discovery-responder";

// This file owns 127.0.20.0/24 and UDP ports 44702–44703.
const PORT = 44702;
const GROUP = "239.255.255.250";
const base = { port: PORT, name: "Porch", hardware: "SIM-1", manufacturer: "Nightjar Sim" };

/** Sends `xml` to address:port (optionally via multicast on lo) and collects answers for `ms`. */
async function ask(xml: string, address: string, ms = 150): Promise<{ from: string; xml: string }[]> {
  const s = dgram.createSocket("udp4");
  const got: { from: string; xml: string }[] = [];
  s.on("message", (m, r) => got.push({ from: r.address, xml: m.toString() }));
  await new Promise<void>((r) => s.bind(0, r));
  s.setMulticastInterface("127.0.0.1");
  await new Promise<void>((resolve, reject) => s.send(xml, PORT, address, (e) => (e ? reject(e) : resolve())));
  await new Promise((r) => setTimeout(r, ms));
  await new Promise<void>((r) => s.close(() => r()));
  return got;
}

describe("discovery responder", () => {
  test("this host delivers loopback multicast (prerequisite of multicast discovery tests)", async () => {
    const r = await checkMulticastLoopback({ port: PORT + 1 });
    assert.deepEqual(r, { ok: true }, r.ok ? "" : `${r.reason}. Fix: ${r.fix}`);
  });

  test("answers a unicast Probe from its own address, with RelatesTo, XAddr and scopes", async () => {
    const r = await startDiscoveryResponder({ ...base, host: "127.0.20.1", xaddr: "http://127.0.20.1:8080/onvif/device_service" });
    try {
      const probe = buildProbe();
      const answers = await ask(probe.xml, "127.0.20.1");
      assert.equal(answers.length, 1);
      assert.equal(answers[0].from, "127.0.20.1");
      const pm = parseProbeMatches(answers[0].xml);
      assert.equal(pm.relatesTo, probe.messageId);
      assert.equal(pm.matches[0].endpoint, r.endpoint);
      assert.deepEqual(pm.matches[0].xaddrs, ["http://127.0.20.1:8080/onvif/device_service"]);
      assert.deepEqual(pm.matches[0].info, { name: "Porch", hardware: "SIM-1", manufacturer: "Nightjar Sim", profiles: ["Streaming"] });
      assert.deepEqual(r.answered, { unicast: 1, multicast: 0 });
    } finally {
      await r.close();
    }
  });

  test("multicast: false ignores the group but still answers unicast; others are not disturbed", async () => {
    const open = await startDiscoveryResponder({ ...base, host: "127.0.20.2", xaddr: "http://127.0.20.2/onvif/device_service" });
    const quiet = await startDiscoveryResponder({ ...base, host: "127.0.20.3", xaddr: "http://127.0.20.3/onvif/device_service", multicast: false });
    try {
      const mc = await ask(buildProbe({ type: "Device" }).xml, GROUP);
      assert.deepEqual(mc.map((a) => a.from), ["127.0.20.2"]);
      const uni = await ask(buildProbe().xml, "127.0.20.3");
      assert.deepEqual(uni.map((a) => a.from), ["127.0.20.3"]);
      // Nobody answers for an address no camera has (the group sockets do not catch unicast).
      assert.deepEqual(await ask(buildProbe().xml, "127.0.20.99"), []);
    } finally {
      await Promise.all([open.close(), quiet.close()]);
    }
  });

  test("only Probes for its types are answered; junk is ignored", async () => {
    const r = await startDiscoveryResponder({ ...base, host: "127.0.20.4", xaddr: "http://127.0.20.4/onvif/device_service" });
    try {
      const other = buildProbe().xml.replace("dn:NetworkVideoTransmitter", "pr:Printer");
      assert.equal((await ask(other, "127.0.20.4")).length, 0);
      assert.equal((await ask("<not-a-probe/>", "127.0.20.4")).length, 0);
      assert.equal((await ask(`<!DOCTYPE x [<!ENTITY a "b">]><x/>`, "127.0.20.4")).length, 0);
      assert.equal((await ask(buildProbe({ type: null }).xml, "127.0.20.4")).length, 1, "a Probe without types matches everyone");
    } finally {
      await r.close();
    }
  });

  test("maxReplyDelayMs spreads multicast answers; closing cancels pending ones", async () => {
    const r = await startDiscoveryResponder({ ...base, host: "127.0.20.7", xaddr: "http://127.0.20.7/onvif/device_service", maxReplyDelayMs: 60 });
    try {
      assert.deepEqual((await ask(buildProbe().xml, GROUP, 150)).map((a) => a.from), ["127.0.20.7"]);
      // A Probe whose answer is still pending when the responder closes.
      const before = r.answered.multicast;
      void ask(buildProbe().xml, GROUP, 10);
      for (let i = 0; i < 100 && r.answered.multicast === before; i++) await new Promise((res) => setTimeout(res, 2));
      assert.equal(r.answered.multicast, before + 1);
    } finally {
      await r.close(); // must not throw nor leave a timer behind
    }
  });

  test("the endpoint is stable across restarts and closing frees the port", async () => {
    const opts = { ...base, host: "127.0.20.5", xaddr: "http://127.0.20.5/onvif/device_service" };
    const a = await startDiscoveryResponder(opts);
    await a.close();
    const b = await startDiscoveryResponder(opts);
    await b.close();
    assert.equal(a.endpoint, b.endpoint);
    assert.match(a.endpoint, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(stableEndpoint("x"), stableEndpoint("y"));
  });

  test("two responders cannot claim the same address", async () => {
    const opts = { ...base, host: "127.0.20.6", xaddr: "http://127.0.20.6/onvif/device_service" };
    const a = await startDiscoveryResponder(opts);
    try {
      await assert.rejects(startDiscoveryResponder(opts), /EADDRINUSE/);
    } finally {
      await a.close();
    }
  });
});
