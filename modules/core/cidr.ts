/** IPv4 CIDR arithmetic done at synth time, so a bad range fails before Terraform ever sees it. */

export interface Ipv4Cidr {
  /** The network address as an unsigned 32-bit number. */
  readonly base: number;
  readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns a reason string instead when the text is not a network CIDR. */
export function parseCidr(text: string): Ipv4Cidr | string {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return 'is not an IPv4 CIDR of the form a.b.c.d/n';
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255)) return 'has an octet above 255';
  if (prefix > 32) return 'has a prefix length above 32';
  const address = octets.reduce((acc, octet) => acc * 256 + octet, 0);
  const base = networkAddress(address, prefix);
  if (base !== address) return `has host bits set (the network is ${formatCidr({ base, prefix })})`;
  return { base, prefix };
}

export function formatCidr(cidr: Ipv4Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.base / 2 ** shift) % 256);
  return `${octets.join('.')}/${cidr.prefix}`;
}

/** Terraform's cidrsubnet(): the `index`-th block of `newBits` more prefix bits inside `parent`. */
export function subnetCidr(parent: Ipv4Cidr, newBits: number, index: number): Ipv4Cidr {
  const prefix = parent.prefix + newBits;
  if (prefix > 32 || index < 0 || index >= 2 ** newBits) {
    throw new RangeError(`no subnet ${index} of /${prefix} inside ${formatCidr(parent)}`);
  }
  return { base: parent.base + index * 2 ** (32 - prefix), prefix };
}

/** True when `inner` lies wholly inside `outer`. */
export function containsCidr(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.prefix >= outer.prefix && networkAddress(inner.base, outer.prefix) === outer.base;
}

function networkAddress(address: number, prefix: number): number {
  const size = 2 ** (32 - prefix);
  return address - (address % size);
}
