/**
 * LINKTYPE numbers (tcpdump.org linktypes list; libpcap pcap-common.c). 12 and 14 are the BSD DLT
 * values of raw IP that some old files carry as their link type; Wireshark's pcap-common.c maps both
 * to raw IP, and so do we.
 */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW_DLT12: 12,
  RAW_DLT14: 14,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const NAMES: Record<number, string> = {
  0: 'NULL',
  1: 'ETHERNET',
  9: 'PPP',
  10: 'FDDI',
  12: 'RAW',
  14: 'RAW',
  101: 'RAW',
  104: 'C_HDLC',
  105: 'IEEE802_11',
  108: 'LOOP',
  113: 'LINUX_SLL',
  119: 'IEEE802_11_PRISM',
  127: 'IEEE802_11_RADIOTAP',
  195: 'IEEE802_15_4',
  197: 'ERF',
  220: 'USB_LINUX_MMAPPED',
  228: 'IPV4',
  229: 'IPV6',
  239: 'NFLOG',
  249: 'NETLINK',
  276: 'LINUX_SLL2',
};

/** libpcap's LINKTYPE_ name without the prefix (`LINUX_SLL2`), or `LINKTYPE_<n>` when unknown. */
export function linkTypeName(n: number): string {
  return NAMES[n] ?? `LINKTYPE_${n}`;
}

/** True for the link types decodeTcp understands. */
export function isSupportedLinkType(n: number): boolean {
  switch (n) {
    case 0:
    case 1:
    case 12:
    case 14:
    case 101:
    case 108:
    case 113:
    case 228:
    case 229:
    case 276:
      return true;
    default:
      return false;
  }
}
