import { domainToASCII } from 'node:url';
import ipaddr from 'ipaddr.js';
import { parse as parseDomain } from 'tldts';
import type { Indicator, IndicatorType } from '../../workflows/common/domain';

// The one indicator normaliser: intel intake, support requests, operation results and the
// deconfliction check all compare values in this form. Most deduplication bugs in threat-intel
// platforms were case and format bugs, so every value is refanged and canonicalised first.

/** Defanging conventions seen in reports: hxxp, [.], (dot), [at], [:]// … */
const DEFANGS: Array<[RegExp, string]> = [
  [/^h(?:xx|\*\*|XX)p(s?)(?=:|\[:|\(:)/i, 'http$1'],
  [/^fxp(?=:|\[:|\(:)/i, 'ftp'],
  [/\[:\/\/\]|\[:\]\/\/|\(:\/\/\)/g, '://'],
  [/\[:\]|\(:\)/g, ':'],
  [/\s*(?:\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|\\\.)\s*/gi, '.'],
  [/\s*(?:\[@\]|\(@\)|\{@\}|\[at\]|\(at\)|\{at\})\s*/gi, '@'],
  [/\[\/\]/g, '/'],
];

export function refang(raw: string): string {
  let value = raw.trim();
  for (const [pattern, replacement] of DEFANGS) value = value.replace(pattern, replacement);
  return value;
}

const HEX_LENGTH = { md5: 32, sha1: 40, sha256: 64 } as const;
const LOCAL_PART = /^[^\s@"(),:;<>[\]\\]{1,64}$/;
// Bech32 and Ethereum addresses are case-insensitive (lower-cased); base58 is case-sensitive (kept).
const BECH32 = /^(?:bc1|tb1|ltc1)[ac-hj-np-z02-9]{11,87}$/;
const ETHEREUM = /^0x[0-9a-f]{40}$/;
const BASE58 = [
  /^[13][a-km-zA-HJ-NP-Z1-9]{25,34}$/, // bitcoin legacy / P2SH
  /^T[1-9A-HJ-NP-Za-km-z]{33}$/, // tron
  /^[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93}$/, // monero
];
const WALLET_URI = /^(?:bitcoin|ethereum|litecoin|monero|tron):/i;

export function canonicalDomain(raw: string): string | null {
  const lowered = raw.trim().replace(/\.$/, '').toLowerCase();
  if (!lowered || lowered.length > 253) return null;
  const ascii = domainToASCII(lowered);
  if (!ascii || ascii.length > 253) return null;
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((l) => /^(?!-)[a-z0-9-]{1,63}(?<!-)$/.test(l))) return null;
  const parsed = parseDomain(ascii, { allowPrivateDomains: true });
  if (parsed.isIp || !parsed.domain || !/^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(labels[labels.length - 1])) return null;
  return ascii;
}

function canonicalIpv4(value: string): string | null {
  // Dotted decimal only: 010.0.0.1 or 0x0a.0.0.1 are ambiguous (octal/hex) and rejected.
  return ipaddr.IPv4.isValidFourPartDecimal(value) ? ipaddr.IPv4.parse(value).toString() : null;
}

function canonicalIpv6(value: string): string | null {
  const bare = value.replace(/^\[(.*)\]$/, '$1');
  if (bare.includes('%') || !ipaddr.IPv6.isValid(bare)) return null;
  return ipaddr.IPv6.parse(bare).toRFC5952String();
}

function canonicalCidr(value: string): string | null {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(value);
  if (!match) return null;
  const prefix = Number(match[2]);
  if (canonicalIpv4(match[1]) !== null) {
    return prefix <= 32 ? `${ipaddr.IPv4.networkAddressFromCIDR(`${match[1]}/${prefix}`).toString()}/${prefix}` : null;
  }
  if (canonicalIpv6(match[1]) !== null && prefix <= 128) {
    return `${ipaddr.IPv6.networkAddressFromCIDR(`${match[1].replace(/^\[(.*)\]$/, '$1')}/${prefix}`).toRFC5952String()}/${prefix}`;
  }
  return null;
}

function canonicalUrl(value: string): string | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  if (!['http:', 'https:', 'ftp:'].includes(url.protocol) || !url.hostname) return null;
  const host = url.hostname.startsWith('[')
    ? canonicalIpv6(url.hostname)
    : (canonicalIpv4(url.hostname) ?? canonicalDomain(url.hostname));
  if (host === null) return null;
  // Scheme and host are case-insensitive, the path and query are not: only escapes get one case.
  url.hash = '';
  const upperEscapes = (s: string) => s.replace(/%[0-9a-f]{2}/gi, (e) => e.toUpperCase());
  url.pathname = upperEscapes(url.pathname);
  url.search = upperEscapes(url.search);
  return url.href;
}

function canonicalWallet(value: string): string | null {
  const bare = value.replace(WALLET_URI, '').split('?')[0];
  const lower = bare.toLowerCase();
  if (BECH32.test(lower) || ETHEREUM.test(lower)) return lower;
  return BASE58.some((p) => p.test(bare)) ? bare : null;
}

function canonicalEmail(value: string): string | null {
  const at = value.lastIndexOf('@');
  if (at <= 0) return null;
  const local = value.slice(0, at).replace(/^mailto:/i, '');
  const domain = canonicalDomain(value.slice(at + 1));
  // Mail providers treat local parts case-insensitively in practice; one case avoids false misses.
  return domain && LOCAL_PART.test(local) ? `${local.toLowerCase()}@${domain}` : null;
}

/** Canonical form of an indicator, or null when the value is not valid for its type. */
export function normalizeIndicator(type: IndicatorType, raw: string): string | null {
  if (typeof raw !== 'string' || raw.length > 2048) return null;
  const value = refang(raw);
  switch (type) {
    case 'ipv4':
      return canonicalIpv4(value);
    case 'ipv6':
      return canonicalIpv6(value);
    case 'cidr':
      return canonicalCidr(value);
    case 'domain':
      return canonicalDomain(value);
    case 'url':
      return canonicalUrl(value);
    case 'md5':
    case 'sha1':
    case 'sha256':
      return new RegExp(`^[0-9a-f]{${HEX_LENGTH[type]}}$`, 'i').test(value) ? value.toLowerCase() : null;
    case 'wallet':
      return canonicalWallet(value);
    case 'email':
      return canonicalEmail(value);
    default:
      return null;
  }
}

/** Normalises and removes duplicates, keeping the first occurrence's order; invalid values are dropped. */
export function normalizeIndicators(indicators: readonly Indicator[]): Indicator[] {
  const seen = new Set<string>();
  const out: Indicator[] = [];
  for (const i of indicators) {
    const value = normalizeIndicator(i.type, i.value);
    if (value === null) continue;
    const key = `${i.type}:${value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ type: i.type, value });
  }
  return out;
}

/** Order-free fingerprint of a normalised set: equal sets give equal keys (duplicate detection). */
export function indicatorSetKey(normalised: readonly Indicator[]): string {
  return [...new Set(normalised.map((i) => `${i.type}:${i.value}`))].sort().join('\n');
}
