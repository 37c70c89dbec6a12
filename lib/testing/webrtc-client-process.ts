// A WebRTC viewer in a process of its own, for tests that must stall one viewer without stalling the test (SIGSTOP
// freezes its libdatachannel threads too: no reads, no ICE consent answers). Protocol, one JSON object per line:
// it prints {"offer": sdp}; it reads {"answer": sdp} on stdin; then it prints {"packets": n} (RTP packets received so
// far) every 200 ms until killed. Run with `node --import tsx lib/testing/webrtc-client-process.ts`.
import readline from "node:readline";
import nodeDataChannel from "node-datachannel";

const pc = new nodeDataChannel.PeerConnection("stall-client", { iceServers: [] });
const video = new nodeDataChannel.Video("0", "RecvOnly");
video.addH264Codec(102, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f");
const track = pc.addTrack(video);
let packets = 0;
track.onMessage(() => {
  packets++;
});
const say = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);

pc.onGatheringStateChange((s) => {
  if (s === "complete") say({ offer: pc.localDescription()!.sdp });
});
pc.setLocalDescription();

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const { answer } = JSON.parse(line) as { answer: string };
  pc.setRemoteDescription(answer, "answer");
  setInterval(() => say({ packets }), 200);
});
