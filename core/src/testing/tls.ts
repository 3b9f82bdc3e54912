import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A self-signed certificate (it is also the client's trust anchor), for loopback HTTPS fakes. */
export interface TestCertificate {
  cert: string;
  key: string;
}

/**
 * Generates a fresh EC key and a one-day self-signed certificate for `hosts` (DNS names) and
 * 127.0.0.1, with openssl. Test utility: production code never trusts it.
 */
export function makeCertificate(
  hosts: readonly string[] = ['images.test', 'cdn.test', 'internal.test'],
): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'reelsmith-tls-'));
  try {
    const names = [...hosts.map((host) => `DNS:${host}`), 'IP:127.0.0.1'].join(',');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${hosts[0] ?? 'localhost'}`,
        '-addext',
        `subjectAltName=${names}`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
