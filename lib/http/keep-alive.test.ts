// The web server's keep-alive: a client that reuses a socket left idle longer than Node's default 5 s still gets its
// answer on the same socket (before, CI saw ECONNRESET from Playwright's request context after a 5 s pause).
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { applyKeepAlive, KEEP_ALIVE_TIMEOUT_MS } from "./keep-alive";

/** Node's own default idle keep-alive timeout, in ms: the pause must be longer than this to prove anything. */
const NODE_DEFAULT_MS = new http.Server().keepAliveTimeout;

function get(port: number, agent: http.Agent): Promise<{ status: number; socket: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/", agent }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, socket: req.socket }));
    });
    req.on("error", reject);
  });
}

test("an idle keep-alive socket outlives Node's default timeout and is reused", async (t) => {
  assert.ok(KEEP_ALIVE_TIMEOUT_MS > 60_000, "longer than a reverse proxy's upstream idle timeout");
  const server = http.createServer((_req, res) => res.end("ok"));
  applyKeepAlive(server);
  assert.ok(server.headersTimeout > server.keepAliveTimeout);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  t.after(() => {
    agent.destroy();
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  let closedByServer = false;
  const first = await get(port, agent);
  (first.socket as import("node:net").Socket).once("close", () => (closedByServer = true));
  await sleep(NODE_DEFAULT_MS + 1_000);
  assert.equal(closedByServer, false, "the server kept the idle socket open");
  const second = await get(port, agent);
  assert.equal(second.status, 200);
  assert.equal(second.socket, first.socket, "the same socket was reused");
});
