// The SCRAM-SHA-256 verifier against RFC 7677's example exchange: the keys it stores must let a server check the
// client's proof and sign its answer exactly as the RFC shows. (The rotation tests log in with verifiers it made.)

import { createHash, createHmac } from 'node:crypto';
import { SCRAM_ITERATIONS, scramKeys, scramSha256Verifier } from '../../lambda/rotation/scram';

// RFC 7677, section 3: user "user", password "pencil".
const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
const clientFirstBare = 'n=user,r=rOprNGfwEbeRWgbNEkqO';
const serverFirst = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
const clientFinalWithoutProof = 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
const clientProof = Buffer.from('dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=', 'base64');
const serverSignature = '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';
const authMessage = `${clientFirstBare},${serverFirst},${clientFinalWithoutProof}`;

const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();

describe("RFC 7677's example", () => {
  const { storedKey, serverKey } = scramKeys('pencil', salt, 4096);

  it('ServerKey signs the exchange as the server in the RFC does', () => {
    expect(hmac(serverKey, authMessage).toString('base64')).toBe(serverSignature);
  });

  it("StoredKey verifies the client's proof: H(proof XOR HMAC(StoredKey, AuthMessage)) = StoredKey", () => {
    const clientSignature = hmac(storedKey, authMessage);
    const clientKey = Buffer.from(clientProof.map((byte, i) => byte ^ clientSignature[i]));
    expect(createHash('sha256').update(clientKey).digest()).toEqual(storedKey);
  });

  it("is written in PostgreSQL's format", () => {
    expect(scramSha256Verifier('pencil', salt)).toBe(
      `SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$${storedKey.toString('base64')}:${serverKey.toString('base64')}`,
    );
  });
});

it('uses 4096 iterations and a new 16-byte salt each time', () => {
  const [first, second] = [scramSha256Verifier('same password'), scramSha256Verifier('same password')];
  const parse = (verifier: string) => /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier)!.slice(1);
  const [iterations, firstSalt] = parse(first);
  expect(Number(iterations)).toBe(SCRAM_ITERATIONS);
  expect(SCRAM_ITERATIONS).toBe(4096);
  expect(Buffer.from(firstSalt, 'base64')).toHaveLength(16);
  expect(parse(second)[1]).not.toBe(firstSalt);
  expect(parse(second)[2]).not.toBe(parse(first)[2]);
});

it('refuses a password outside ASCII, whose SASLprep it does not reproduce', () => {
  expect(() => scramSha256Verifier('pässword')).toThrow('characters outside ASCII');
});
