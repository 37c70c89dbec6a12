// How long the web server keeps an idle keep-alive connection open. Node's default (5 s) races clients that reuse an
// idle socket just as the server closes it: the client's request then fails with ECONNRESET (Playwright's request
// context and fetch pools reuse sockets and do not retry). Reverse proxies in front of Nightjar (nginx, Caddy,
// Traefik) keep upstream sockets idle for up to 60 s, so the server must wait longer than that.
import type { Server } from "node:http";

/** Idle keep-alive connections are closed after this long, in ms (longer than a proxy's 60 s upstream idle timeout). */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Sets the keep-alive timeout; the headers timeout must be longer than it (Node closes at the smaller of the two). */
export function applyKeepAlive(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
}
