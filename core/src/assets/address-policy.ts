import { isIPv4, isIPv6 } from 'node:net';

/** An IPv4 range as `[first octets, prefix length]`. */
type V4Range = readonly [readonly [number, number, number, number], number];

/** IANA special-purpose and non-unicast IPv4 blocks that a server must never be asked to reach. */
const BLOCKED_V4: readonly V4Range[] = [
  [[0, 0, 0, 0], 8],
  [[10, 0, 0, 0], 8],
  [[100, 64, 0, 0], 10],
  [[127, 0, 0, 0], 8],
  [[169, 254, 0, 0], 16],
  [[172, 16, 0, 0], 12],
  [[192, 0, 0, 0], 24],
  [[192, 0, 2, 0], 24],
  [[192, 88, 99, 0], 24],
  [[192, 168, 0, 0], 16],
  [[198, 18, 0, 0], 15],
  [[198, 51, 100, 0], 24],
  [[203, 0, 113, 0], 24],
  [[224, 0, 0, 0], 4],
  [[240, 0, 0, 0], 4],
];

/**
 * True only for a publicly routable unicast address. Refuses loopback, private (RFC 1918), link-local
 * (incl. 169.254.169.254 metadata), CGNAT, multicast, unspecified, broadcast, documentation, benchmarking
 * and reserved IPv4; for IPv6 anything outside global unicast 2000::/3 (so ::1, ::, fc00::/7 unique-local,
 * fe80::/10 link-local, ff00::/8 multicast, the deprecated IPv4-compatible ::/96), the documentation,
 * Teredo and IETF-protocol blocks inside it; addresses that embed an IPv4 address (IPv4-mapped
 * ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address they carry.
 * A string that is not an IP address is refused.
 */
export function isPublicAddress(address: string): boolean {
  const v4 = parseIPv4(address);
  if (v4) return isPublicV4(v4);
  const v6 = parseIPv6(address);
  return v6 ? isPublicV6(v6) : false;
}

/** `host` without IPv6 brackets when it is an IP literal, else undefined (a name to resolve). */
export function ipLiteral(host: string): string | undefined {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return isIPv4(bare) || isIPv6(bare) ? bare : undefined;
}

function isPublicV4(octets: readonly number[]): boolean {
  return !BLOCKED_V4.some(([base, prefix]) => inPrefix(octets, base, prefix));
}

function isPublicV6(bytes: readonly number[]): boolean {
  const embedded = embeddedV4(bytes);
  if (embedded) return isPublicV4(embedded);
  if (((bytes[0] ?? 0) & 0xe0) !== 0x20) return false;
  if (inPrefix(bytes, [0x20, 0x01, 0x00, 0x00], 23)) return false;
  if (inPrefix(bytes, [0x20, 0x01, 0x0d, 0xb8], 32)) return false;
  if (inPrefix(bytes, [0x3f, 0xff, 0x00, 0x00], 20)) return false;
  return true;
}

/** The IPv4 address inside an IPv4-mapped, NAT64 or 6to4 IPv6 address. */
function embeddedV4(bytes: readonly number[]): number[] | undefined {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const mapped = zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff;
  const nat64 = inPrefix(bytes, [0x00, 0x64, 0xff, 0x9b], 32) && zeros(4, 12);
  if (mapped || nat64) return bytes.slice(12, 16);
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6);
  return undefined;
}

function inPrefix(bytes: readonly number[], base: readonly number[], prefix: number): boolean {
  for (let bit = 0; bit < prefix; bit += 8) {
    const mask = prefix - bit >= 8 ? 0xff : (0xff << (8 - (prefix - bit))) & 0xff;
    const index = bit / 8;
    if (((bytes[index] ?? 0) & mask) !== ((base[index] ?? 0) & mask)) return false;
  }
  return true;
}

function parseIPv4(address: string): number[] | undefined {
  if (!isIPv4(address)) return undefined;
  return address.split('.').map(Number);
}

/** The 16 bytes of an IPv6 address (zone id dropped, dotted IPv4 tail allowed). */
function parseIPv6(address: string): number[] | undefined {
  const bare = address.split('%')[0] ?? '';
  if (!isIPv6(bare)) return undefined;
  let text = bare;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(fill).fill('0'), ...tailGroups];
  if (groups.length !== 8) return undefined;
  return groups.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}
