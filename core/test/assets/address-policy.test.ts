import { describe, expect, it } from 'vitest';
import { ipLiteral, isPublicAddress } from '../../src/assets/address-policy.js';

const REFUSED = [
  '0.0.0.0',
  '0.1.2.3',
  '10.0.0.5',
  '100.64.0.1',
  '100.127.255.254',
  '127.0.0.1',
  '127.255.0.9',
  '169.254.169.254',
  '172.16.0.1',
  '172.31.255.255',
  '192.0.0.8',
  '192.0.2.10',
  '192.168.1.1',
  '198.18.0.1',
  '198.51.100.7',
  '203.0.113.9',
  '224.0.0.1',
  '239.255.255.250',
  '240.0.0.1',
  '255.255.255.255',
  '::',
  '::1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::ffff:10.1.2.3',
  '::ffff:169.254.169.254',
  '::127.0.0.1',
  '::8.8.8.8',
  '64:ff9b::10.0.0.1',
  '2002:7f00:1::',
  '2002:c0a8:0101::1',
  'fc00::1',
  'fd12:3456::1',
  'fe80::1',
  'fe80::1%eth0',
  'febf::1',
  'ff02::1',
  '2001:db8::1',
  '2001::1',
  '3fff::1',
  '100::1',
  'not-an-ip',
  '',
];

const ALLOWED = [
  '1.1.1.1',
  '8.8.8.8',
  '93.184.216.34',
  '172.32.0.1',
  '100.128.0.1',
  '192.169.0.1',
  '2606:4700:4700::1111',
  '2001:4860:4860::8888',
  '::ffff:8.8.8.8',
  '64:ff9b::8.8.8.8',
  '2002:0808:0808::1',
];

describe('isPublicAddress', () => {
  it.each(REFUSED)('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(ALLOWED)('allows the public address %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('ipLiteral', () => {
  it('strips IPv6 brackets and leaves names alone', () => {
    expect(ipLiteral('[::1]')).toBe('::1');
    expect(ipLiteral('127.0.0.1')).toBe('127.0.0.1');
    expect(ipLiteral('images.test')).toBeUndefined();
  });

  it('sees the IPv4 address that URL parsing makes of decimal, octal and hex hosts', () => {
    for (const raw of ['https://2130706433/', 'https://0177.0.0.1/', 'https://0x7f000001/', 'https://127.1/']) {
      const literal = ipLiteral(new URL(raw).hostname);
      expect(literal).toBe('127.0.0.1');
      expect(isPublicAddress(literal ?? '')).toBe(false);
    }
  });
});
