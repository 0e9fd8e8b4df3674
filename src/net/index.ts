/**
 * net/ — public surface. One captured Packet → its TCP Segment (or null).
 *
 * ```ts
 * const counters = newNetCounters();
 * const seg = decodeTcp(packet, counters);   // null: not TCP / fragment / unsupported link / too short
 * if (!isSupportedLinkType(packet.linkType)) ...  // or read counters.unsupportedLink
 * ```
 * Link types: ETHERNET 1, LINUX_SLL 113, LINUX_SLL2 276 (each with 802.1Q/802.1ad/QinQ tags, stacked), NULL 0,
 * LOOP 108, RAW 101 (and BSD 12/14), IPV4 228, IPV6 229. IPv4 with options (fragments skipped and
 * counted), IPv6 with extension headers, TCP with options (window scale read from SYNs).
 */
export type { Segment } from './types.js';
export { TcpFlags } from './types.js';
export { decodeTcp, newNetCounters, newSegment, ipv6ToString, type NetCounters, type SkipReason } from './decode.js';
export { linkTypeName, isSupportedLinkType, LinkType } from './linktypes.js';
