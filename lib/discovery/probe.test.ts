import assert from "node:assert/strict";
import dgram from "node:dgram";
import { after, before, describe, test } from "node:test";
import { startDiscoveryResponder, type DiscoveryResponder } from "../simulator/discovery-responder";
import { startOnvifService, type OnvifService } from "../simulator/onvif-service";
import { discoverMulticast, sweepRange } from "./probe";
import { DiscoveryError } from "./ranges";

// This file owns 127.0.10.0/24 and UDP port 43702 (the WS-Discovery port, moved up for tests).
const PORT = 43702;
const N = 8;
const hostOf = (i: number) => `127.0.10.${10 + i}`;
const xaddrOf = (i: number) => `http://${hostOf(i)}:8080/onvif/device_service`;

describe("discovery against simulated cameras on loopback", () => {
  const responders: DiscoveryResponder[] = [];
  let hidden: DiscoveryResponder; // answers unicast only
  let httpOnly: OnvifService; // no WS-Discovery at all, only the ONVIF HTTP service
  let rogue: dgram.Socket; // answers every Probe with hostile XML

  before(async () => {
    for (let i = 0; i < N; i++) {
      responders.push(await startDiscoveryResponder({ host: hostOf(i), xaddr: xaddrOf(i), port: PORT, name: `Camera ${i}`, hardware: "SIM-1", manufacturer: "Nightjar Sim" }));
    }
    hidden = await startDiscoveryResponder({ host: "127.0.10.50", xaddr: "http://127.0.10.50:8080/onvif/device_service", port: PORT, multicast: false, name: "Hidden", hardware: "SIM-2", manufacturer: "Nightjar Sim" });
    httpOnly = await startOnvifService({ host: "127.0.10.60", port: 0, username: "admin", password: "pw", manufacturer: "M", model: "HTTP only", firmware: "1", serial: "S", hardwareId: "H", rtspPort: 8554 });
    rogue = dgram.createSocket("udp4");
    rogue.on("message", (_m, r) => rogue.send(`<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>`, r.port, r.address));
    await new Promise<void>((r) => rogue.bind(PORT, "127.0.10.70", r));
  });
  after(async () => {
    await Promise.all([...responders, hidden].map((r) => r.close()));
    await httpOnly.close();
    await new Promise<void>((r) => rogue.close(() => r()));
  });

  test(`one multicast round finds exactly the ${N} multicast responders`, async () => {
    const found = await discoverMulticast({ timeoutMs: 400, interfaceAddress: "127.0.0.1", port: PORT });
    assert.equal(found.length, N, JSON.stringify(found.map((f) => f.address)));
    assert.deepEqual(found.map((f) => f.address).sort(), Array.from({ length: N }, (_, i) => hostOf(i)).sort());
    assert.deepEqual(found.map((f) => f.endpoint).sort(), responders.map((r) => r.endpoint).sort());
    const cam0 = found.find((f) => f.address === hostOf(0))!;
    assert.deepEqual(cam0.xaddrs, [xaddrOf(0)]);
    assert.equal(cam0.via, "multicast");
    assert.deepEqual(cam0.info, { name: "Camera 0", hardware: "SIM-1", manufacturer: "Nightjar Sim", profiles: ["Streaming"] });
    // Probes were sent twice per type and answered each time, yet every camera appears once.
    assert.ok(responders.every((r) => r.answered.multicast >= 2));
  });

  test("aborting a multicast round resolves at once with what arrived", async () => {
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 100);
    const start = Date.now();
    const found = await discoverMulticast({ timeoutMs: 5000, interfaceAddress: "127.0.0.1", port: PORT, signal: ctrl.signal });
    // Resolved by the abort, not by its 5 s round (a causal bound: whatever the machine's load, the round had not ended).
    assert.ok(Date.now() - start < 5000);
    assert.equal(found.length, N);
  });

  test("multicast on a bad interface address is reported clearly", async () => {
    await assert.rejects(discoverMulticast({ timeoutMs: 100, interfaceAddress: "203.0.113.9", port: PORT }), (e: unknown) => e instanceof DiscoveryError && e.code === "multicast_unavailable");
  });

  test("a unicast sweep finds the camera multicast cannot reach, plus the HTTP-only one", async () => {
    const addresses = ["127.0.10.50", hostOf(0), "127.0.10.60", "127.0.10.70", "127.0.10.99", "127.0.10.98"];
    const progress: [number, number, number][] = [];
    const found = await sweepRange(addresses, { port: PORT, timeoutMs: 250, concurrency: 3, http: { port: httpOnly.port, timeoutMs: 500 }, onProgress: (d, t, f) => progress.push([d, t, f]) });
    const by = Object.fromEntries(found.map((f) => [f.address, f]));
    assert.deepEqual(Object.keys(by).sort(), ["127.0.10.10", "127.0.10.50", "127.0.10.60"]);
    assert.equal(by["127.0.10.50"].via, "unicast");
    assert.equal(by["127.0.10.50"].endpoint, hidden.endpoint);
    assert.equal(by["127.0.10.50"].info.name, "Hidden");
    assert.equal(by["127.0.10.60"].via, "http", "a NotAuthorized fault still means ONVIF");
    assert.deepEqual(by["127.0.10.60"].xaddrs, [`http://127.0.10.60:${httpOnly.port}/onvif/device_service`]);
    assert.equal(progress.length, addresses.length);
    assert.deepEqual(progress.at(-1), [6, 6, 3]);
    assert.deepEqual(progress.map((p) => p[0]), [1, 2, 3, 4, 5, 6]);
  });

  test("without the HTTP check, only WS-Discovery answers count", async () => {
    const found = await sweepRange(["127.0.10.60", hostOf(1)], { port: PORT, timeoutMs: 200 });
    assert.deepEqual(found.map((f) => [f.address, f.via]), [[hostOf(1), "unicast"]]);
  });

  test("abort stops a long sweep promptly and keeps what was found", async () => {
    const addresses = [hostOf(2), ...Array.from({ length: 200 }, (_, i) => `127.0.11.${i + 1}`)];
    const ctrl = new AbortController();
    let last = 0;
    setTimeout(() => ctrl.abort(), 300);
    const found = await sweepRange(addresses, { port: PORT, timeoutMs: 1000, concurrency: 4, http: { port: 1 }, signal: ctrl.signal, onProgress: (d) => (last = d) });
    assert.ok(last < addresses.length, `progress ${last}`);
    assert.deepEqual(found.map((f) => f.address), [hostOf(2)]);
  });

  test("an empty list resolves at once with progress untouched", async () => {
    let calls = 0;
    assert.deepEqual(await sweepRange([], { port: PORT, onProgress: () => calls++ }), []);
    assert.equal(calls, 0);
  });
});
