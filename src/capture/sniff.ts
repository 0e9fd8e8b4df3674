/**
 * Format detection by magic bytes, never by file name (anchors §3.11).
 * The magic numbers are those of the pcap and pcapng drafts (IETF opsawg) and libpcap's sf-pcap.c.
 */

export type Sniffed =
  | { kind: 'pcap'; nanos: boolean; byteOrder: 'little' | 'big' }
  | { kind: 'pcapng' }
  | { kind: 'gzip' }
  | { kind: 'unknown'; what: string };

/** What `head` (the first bytes of the input, maybe fewer than asked for) looks like. */
export function sniff(head: Buffer): Sniffed {
  if (head.length === 0) return { kind: 'unknown', what: 'empty file' };
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return { kind: 'gzip' };
  if (head.length >= 4) {
    const m = head.readUInt32BE(0);
    switch (m) {
      case 0xa1b2c3d4:
        return { kind: 'pcap', nanos: false, byteOrder: 'big' };
      case 0xd4c3b2a1:
        return { kind: 'pcap', nanos: false, byteOrder: 'little' };
      case 0xa1b23c4d:
        return { kind: 'pcap', nanos: true, byteOrder: 'big' };
      case 0x4d3cb2a1:
        return { kind: 'pcap', nanos: true, byteOrder: 'little' };
      case 0x0a0d0d0a:
        return { kind: 'pcapng' };
      case 0xa1b2cd34:
      case 0x34cdb2a1:
        return {
          kind: 'unknown',
          what: "a 'modified pcap' (Kuznetzov) file, which is not supported: convert it with `editcap -F pcap IN OUT`",
        };
      case 0x28b52ffd:
        return { kind: 'unknown', what: 'zstd-compressed data: decompress it with `zstd -d` first' };
      default:
        break;
    }
  }
  if (head.length >= 3 && head.toString('latin1', 0, 3) === 'BZh') {
    return { kind: 'unknown', what: 'bzip2-compressed data: decompress it with `bunzip2` first' };
  }
  if (head.length >= 6 && head.readUInt32BE(0) === 0xfd377a58 && head.readUInt16BE(4) === 0x5a00) {
    return { kind: 'unknown', what: 'xz-compressed data: decompress it with `unxz` first' };
  }
  if (head.length >= 4 && head.readUInt32BE(0) === 0x504b0304) {
    return { kind: 'unknown', what: 'a zip archive: unzip it first' };
  }
  if (head.length < 4) {
    return { kind: 'unknown', what: `only ${head.length} byte${head.length === 1 ? '' : 's'}, too short for a capture` };
  }
  if (looksLikeText(head)) return { kind: 'unknown', what: `looks like text: '${textPreview(head)}'` };
  return { kind: 'unknown', what: `unknown magic number 0x${head.toString('hex', 0, 4)}` };
}

function looksLikeText(head: Buffer): boolean {
  const n = Math.min(head.length, 64);
  for (let i = 0; i < n; i++) {
    const c = head[i];
    // Printable ASCII, tab, CR, LF, or UTF-8 lead/continuation bytes.
    if (!((c >= 0x20 && c < 0x7f) || c === 9 || c === 10 || c === 13 || c >= 0x80)) return false;
  }
  return true;
}

function textPreview(head: Buffer): string {
  const s = head
    .toString('utf8', 0, Math.min(head.length, 40))
    .replace(/\uFFFD+$/, '')
    .replace(/[\r\n\t]/g, (c) => (c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
  const cut = s.length > 12 ? `${s.slice(0, 12)}…` : s;
  return cut;
}
