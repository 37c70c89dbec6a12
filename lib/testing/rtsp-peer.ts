// Test support: a scripted RTSP peer on loopback that answers each request with reply(request) (null = say nothing).
import net from "node:net";

export type RtspPeer = { port: number; close(): Promise<void> };

export async function startRtspPeer(reply: (request: string) => string | null, port = 0): Promise<RtspPeer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    let buf = "";
    s.on("data", (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf("\r\n\r\n")) >= 0) {
        const request = buf.slice(0, i);
        buf = buf.slice(i + 4);
        const out = reply(request);
        if (out) s.write(out);
      }
    });
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export const cseqOf = (request: string) => /CSeq: (\d+)/.exec(request)?.[1] ?? "0";

/** Answers OPTIONS and DESCRIBE (with a minimal SDP) like a camera without authentication. */
export function answerLikeACamera(request: string): string {
  const sdp = "v=0\r\nm=video 0 RTP/AVP 96\r\n";
  return request.startsWith("DESCRIBE")
    ? `RTSP/1.0 200 OK\r\nCSeq: ${cseqOf(request)}\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`
    : `RTSP/1.0 200 OK\r\nCSeq: ${cseqOf(request)}\r\n\r\n`;
}
