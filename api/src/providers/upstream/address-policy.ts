import { isIPv4, isIPv6 } from 'node:net';

/**
 * Why a download must not connect to an address, or null for a public unicast address.
 * Result URLs come from an upstream we don't control; without this check a link could make
 * the server fetch from itself, the local network or a cloud metadata service (SSRF).
 */
export function blockedAddressReason(address: string): string | null {
  if (isIPv4(address)) return ipv4Reason(ipv4ToNumber(address));
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv6(bare)) return ipv6Reason(ipv6Groups(bare));
  return 'not an IP address';
}

// [first address, prefix length, reason]; IANA's special-purpose registry, not globally reachable.
const IPV4_BLOCKED: ReadonlyArray<readonly [string, number, string]> = [
  ['0.0.0.0', 8, 'unspecified ("this network")'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved (IETF protocol assignments)'],
  ['192.0.2.0', 24, 'reserved (documentation)'],
  ['192.88.99.0', 24, 'reserved (6to4 relay)'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved (benchmarking)'],
  ['198.51.100.0', 24, 'reserved (documentation)'],
  ['203.0.113.0', 24, 'reserved (documentation)'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved (including broadcast)'],
];

function ipv4Reason(value: number): string | null {
  for (const [first, prefix, reason] of IPV4_BLOCKED) {
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    if ((value & mask) >>> 0 === ipv4ToNumber(first)) return reason;
  }
  return null;
}

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = ipv4ToNumber(dotted[1]);
    text = `${text.slice(0, dotted.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string | undefined): number[] =>
    part ? part.split(':').map((g) => parseInt(g, 16)) : [];
  const left = parse(head);
  const right = parse(tail);
  const zeros = tail === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}

function ipv6Reason(g: number[]): string | null {
  const embeddedV4 = (hi: number, lo: number): number => hi * 65536 + lo;
  const zeroUpTo = (n: number): boolean => g.slice(0, n).every((x) => x === 0);
  if (g.every((x) => x === 0)) return 'unspecified';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  if (zeroUpTo(5) && g[5] === 0xffff)
    return mapped('IPv4-mapped', ipv4Reason(embeddedV4(g[6], g[7])));
  if (zeroUpTo(6)) return 'reserved (IPv4-compatible)';
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the IPv4 address they embed.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) {
    return mapped('NAT64', ipv4Reason(embeddedV4(g[6], g[7])));
  }
  if (g[0] === 0x2002) return mapped('6to4', ipv4Reason(embeddedV4(g[1], g[2])));
  if ((g[0] & 0xfe00) === 0xfc00) return 'unique-local';
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0] & 0xffc0) === 0xfec0) return 'site-local';
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  // Only global unicast (2000::/3) is reachable on the internet; the rest is reserved.
  if ((g[0] & 0xe000) !== 0x2000) return 'reserved';
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'reserved (documentation)';
  if (g[0] === 0x2001 && g[1] < 0x0200) return 'reserved (IETF protocol assignments, Teredo)';
  if (g[0] === 0x3fff && (g[1] & 0xf000) === 0) return 'reserved (documentation)';
  return null;
}

function mapped(kind: string, reason: string | null): string | null {
  return reason === null ? null : `${kind} ${reason}`;
}
