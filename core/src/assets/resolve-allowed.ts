import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { UserError } from '../errors.js';
import { ipLiteral, isPublicAddress } from './address-policy.js';
import { displayUrl } from './remote-url.js';

/** Resolves a host name to every address it has, like `dns.promises.lookup(host, { all: true })`. */
export type LookupAll = (hostname: string, options: { all: true }) => Promise<readonly LookupAddress[]>;

/** Says whether a resolved address may be connected to. */
export type AddressPolicy = (address: string, family: 4 | 6) => boolean;

/** How `resolveAllowedAddresses` resolves and judges a host. */
export interface ResolveAllowedOptions {
  lookup?: LookupAll | undefined;
  isAllowedAddress?: AddressPolicy | undefined;
}

/**
 * Every address `url`'s host stands for, each judged by the policy (public addresses only by default).
 * An IP literal is judged as is, without a lookup. A host is refused when ANY of its addresses is
 * refused, so a name cannot mix a public and a private answer.
 * @throws UserError `url_private_address` naming the URL; `url_fetch_failed` when the name does not resolve.
 *   A lookup that fails otherwise rejects with its own error.
 */
export async function resolveAllowedAddresses(
  url: URL,
  options: ResolveAllowedOptions = {},
): Promise<readonly LookupAddress[]> {
  const allowed = options.isAllowedAddress ?? ((address: string) => isPublicAddress(address));
  const literal = ipLiteral(url.hostname);
  const addresses = literal
    ? [{ address: literal, family: literal.includes(':') ? 6 : 4 }]
    : await lookupHost(url, options.lookup ?? dnsLookup);
  const refused = addresses.find((entry) => !allowed(entry.address, entry.family === 6 ? 6 : 4));
  if (refused) {
    throw new UserError(
      'url_private_address',
      `${displayUrl(url)} points at a private or reserved network address (${refused.address}); ` +
        'Reelsmith only downloads files from the public internet.',
      { details: { address: refused.address } },
    );
  }
  return addresses;
}

/**
 * A `lookup` for `net.connect` / `https.request` that answers with `addresses` whatever the name, so the
 * socket reaches exactly the addresses that were checked (no second DNS query to rebind).
 */
export function pinnedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const first = addresses[0];
    if (!first) {
      callback(Object.assign(new Error('No pinned address'), { code: 'ENOTFOUND' }), '', 0);
      return;
    }
    if (options.all)
      callback(
        null,
        addresses.map((entry) => ({ ...entry })),
      );
    else callback(null, first.address, first.family);
  };
}

async function lookupHost(url: URL, lookup: LookupAll): Promise<readonly LookupAddress[]> {
  const addresses = await lookup(url.hostname, { all: true }).catch((error: unknown) => {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'EAI_NONAME') return [];
    throw error;
  });
  if (addresses.length === 0) {
    throw new UserError(
      'url_fetch_failed',
      `Could not download ${displayUrl(url)}: the host ${url.hostname} was not found. Check the link.`,
    );
  }
  return addresses;
}
