// Process entry: the web server (Next.js). A plain Node HTTP server in front of Next so that the client's socket
// address reaches the app in a header no client can forge (x-nightjar-peer, used for sign-in throttling), every
// response gets its Content-Security-Policy nonce (lib/http/security-headers.ts), and a path whose percent-encoding
// cannot be decoded is answered 400 here instead of a bare 500 from Next's router.
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { PEER_HEADER } from "../lib/auth/address";
import { getEnv } from "../lib/env";
import { logger } from "../lib/log";
import { getSecrets } from "../lib/secrets";
import { applyKeepAlive } from "../lib/http/keep-alive";
import { contentSecurityPolicy, malformedPathSegment, newNonce, STATIC_SECURITY_HEADERS } from "../lib/http/security-headers";

const log = logger("web");
const env = getEnv();
const dev = process.argv.includes("--dev");
process.env.NEXTAUTH_URL ??= env.publicUrl;
process.env.NEXT_TELEMETRY_DISABLED = "1";
getSecrets(); // generate before the first request

const app = next({ dev, dir: path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."), hostname: env.HOST, port: env.PORT });
await app.prepare();
const handle = app.getRequestHandler();

const server = http.createServer((req, res) => {
  req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
  const csp = contentSecurityPolicy(newNonce(), { dev });
  // On the request: Next reads the nonce from it and puts it on the scripts it renders. On the response: the browser.
  req.headers["content-security-policy"] = csp;
  res.setHeader("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) res.setHeader(name, value);
  const bad = malformedPathSegment(req.url ?? "/");
  if (bad !== null) {
    log.warn("malformed percent-encoding in the path: 400", { segment: bad, method: req.method });
    res.writeHead(400, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify({ error: { code: "bad_request", message: "Malformed address." } }));
    return;
  }
  void handle(req, res);
});
applyKeepAlive(server);
server.listen(env.PORT, env.HOST, () => log.info("listening", { url: `http://${env.HOST}:${env.PORT}`, publicUrl: env.publicUrl, dev }));

let stopping = false;
function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info("stopping", { signal });
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 3_000).unref();
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
