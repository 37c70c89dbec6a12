// Process entry: the web server (Next.js). A plain Node HTTP server in front of Next so that the client's socket
// address reaches the app in a header no client can forge (x-nightjar-peer, used for sign-in throttling).
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { PEER_HEADER } from "../lib/auth/address";
import { getEnv } from "../lib/env";
import { logger } from "../lib/log";
import { getSecrets } from "../lib/secrets";

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
  void handle(req, res);
});
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
