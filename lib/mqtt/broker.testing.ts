// Test support: a real Debian mosquitto (/usr/sbin/mosquitto) on a free loopback port, with a password file made by
// mosquitto_passwd, and a subscriber written with the `mqtt` package that records every message.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import mqtt, { type MqttClient } from "mqtt";

export const MOSQUITTO = "/usr/sbin/mosquitto";
export const hasMosquitto = () => fs.existsSync(MOSQUITTO);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

export type Broker = { port: number; /** The TLS listener's port (with `tls`), else null. */ tlsPort: number | null; user: string; password: string; stop(): Promise<void>; start(): Promise<void>; dir: string };

/**
 * Starts mosquitto with user/password auth (anonymous refused). `start()` again after `stop()` uses the same port.
 * With `tls` (PEM files of the server certificate and its key) a second listener on `tlsPort` speaks TLS.
 */
export async function startBroker(opts: { tls?: { certfile: string; keyfile: string } } = {}): Promise<Broker> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-mosquitto-"));
  const port = await freePort();
  const tlsPort = opts.tls ? await freePort() : null;
  const user = "nightjar";
  const password = "s3cret-pass";
  const pwfile = path.join(dir, "passwd");
  fs.writeFileSync(pwfile, "");
  execFileSync("mosquitto_passwd", ["-b", pwfile, user, password]);
  execFileSync("mosquitto_passwd", ["-b", pwfile, "tester", "tester"]);
  fs.chmodSync(pwfile, 0o600);
  const conf = path.join(dir, "mosquitto.conf");
  const tlsListener = opts.tls && tlsPort ? `listener ${tlsPort} 127.0.0.1\ncertfile ${opts.tls.certfile}\nkeyfile ${opts.tls.keyfile}\n` : "";
  fs.writeFileSync(conf, `user ${os.userInfo().username}\nlistener ${port} 127.0.0.1\n${tlsListener}allow_anonymous false\npassword_file ${pwfile}\npersistence false\nlog_dest stderr\nlog_type error\n`);
  let child: ChildProcess | null = null;
  const broker: Broker = {
    port,
    tlsPort,
    user,
    password,
    dir,
    async start() {
      child = spawn(MOSQUITTO, ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
      for (let i = 0; i < 200; i++) {
        const ok = await new Promise<boolean>((resolve) => {
          const s = net.connect(port, "127.0.0.1", () => {
            s.end();
            resolve(true);
          });
          s.on("error", () => resolve(false));
        });
        if (ok) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error("mosquitto did not start");
    },
    async stop() {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once("exit", () => resolve());
        c.kill("SIGKILL");
      });
    },
  };
  await broker.start();
  return broker;
}

export type Received = { topic: string; payload: Buffer; retain: boolean };

/** A subscriber (user "tester") recording messages; `waitFor` polls the record for a condition. */
export async function subscriber(port: number, filters: string[]) {
  const client: MqttClient = mqtt.connect({ host: "127.0.0.1", port, username: "tester", password: "tester", reconnectPeriod: 200, clientId: `sub-${process.pid}-${Math.random().toString(16).slice(2)}` });
  const messages: Received[] = [];
  client.on("message", (topic, payload, packet) => messages.push({ topic, payload, retain: packet.retain }));
  await new Promise<void>((resolve, reject) => {
    client.once("connect", () => client.subscribe(filters, { qos: 1 }, (err) => (err ? reject(err) : resolve())));
    client.once("error", reject);
  });
  return {
    client,
    messages,
    last: (topic: string) => [...messages].reverse().find((m) => m.topic === topic),
    async publish(topic: string, payload: string, retain = false) {
      await client.publishAsync(topic, payload, { qos: 1, retain });
    },
    async close() {
      await client.endAsync(true);
    },
  };
}

/** Waits for a condition, checking every 20 ms, for at most `limitMs` (a generous ceiling, not a measurement). */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, tick?: () => unknown, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    await tick?.();
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}
