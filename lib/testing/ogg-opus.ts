// Test helper: Opus packets (as received over RTP, RFC 7587: one Opus packet per RTP payload) wrapped in an Ogg Opus
// file (RFC 7845) so that ffmpeg can decode them. One packet per Ogg page; granule positions count 48 kHz samples
// from the packets' TOC bytes (RFC 6716 §3.1). Not used by the product.

/** Samples at 48 kHz that one Opus packet holds (its TOC byte's frame size times its frame count). */
export function opusPacketSamples(packet: Uint8Array): number {
  const config = packet[0] >> 3;
  const frameUs = config < 12 ? [10_000, 20_000, 40_000, 60_000][config % 4] : config < 16 ? [10_000, 20_000][config % 2] : [2_500, 5_000, 10_000, 20_000][config % 4];
  const code = packet[0] & 3;
  const frames = code === 0 ? 1 : code === 3 ? packet[1] & 0x3f : 2;
  return (frames * frameUs * 48) / 1000;
}

/** Ogg's CRC-32 (polynomial 0x04c11db7, not reflected, initial 0) over a page with its CRC field zeroed. */
function oggCrc(data: Buffer): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 24;
    for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}

function page(packet: Uint8Array, flags: number, granule: bigint, sequence: number): Buffer {
  const lacing: number[] = [];
  let left = packet.length;
  for (; left >= 255; left -= 255) lacing.push(255);
  lacing.push(left);
  const header = Buffer.alloc(27);
  header.write("OggS", 0, "latin1");
  header[5] = flags;
  header.writeBigInt64LE(granule, 6);
  header.writeUInt32LE(0x4e4a, 14); // stream serial
  header.writeUInt32LE(sequence, 18);
  header[26] = lacing.length;
  const out = Buffer.concat([header, Buffer.from(lacing), packet]);
  out.writeUInt32LE(oggCrc(out), 22);
  return out;
}

/** An Ogg Opus file of `packets` (mono unless said). */
export function oggOpus(packets: Uint8Array[], channels = 1): Buffer {
  const head = Buffer.alloc(19);
  head.write("OpusHead", 0, "latin1");
  head[8] = 1; // version
  head[9] = channels;
  head.writeUInt16LE(312, 10); // pre-skip, samples
  head.writeUInt32LE(48_000, 12);
  const vendor = Buffer.from("nightjar-test");
  const tags = Buffer.concat([Buffer.from("OpusTags", "latin1"), Buffer.from(Uint32Array.of(vendor.length).buffer), vendor, Buffer.alloc(4)]);
  const pages = [page(head, 0x02, 0n, 0), page(tags, 0, 0n, 1)];
  let granule = 0n;
  packets.forEach((p, i) => {
    granule += BigInt(opusPacketSamples(p));
    pages.push(page(p, i === packets.length - 1 ? 0x04 : 0, granule, i + 2));
  });
  return Buffer.concat(pages);
}
