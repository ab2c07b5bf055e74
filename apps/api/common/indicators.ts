import { domainToASCII } from 'node:url';
import { isIPv4, isIPv6 } from 'node:net';
import { ApiProperty } from '@nestjs/swagger';
import { registerDecorator, ValidationArguments } from 'class-validator';
import { INDICATOR_TYPES, Indicator, IndicatorType } from '../../../workflows/common/domain';
import { OneOf } from './validation';

const HEX_LENGTH: Partial<Record<IndicatorType, number>> = { md5: 32, sha1: 40, sha256: 64 };
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}$/;
const WALLETS = [
  /^bc1[ac-hj-np-z02-9]{25,87}$/i, // bech32 bitcoin
  /^[13][a-km-zA-HJ-NP-Z1-9]{25,34}$/, // legacy bitcoin
  /^0x[0-9a-fA-F]{40}$/, // ethereum and EVM chains
  /^T[1-9A-HJ-NP-Za-km-z]{33}$/, // tron
  /^[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93}$/, // monero
];

function canonicalIpv6(value: string): string | null {
  if (!isIPv6(value)) return null;
  return new URL(`http://[${value}]`).hostname.slice(1, -1);
}

function canonicalDomain(value: string): string | null {
  const ascii = domainToASCII(value.trim().replace(/\.$/, '').toLowerCase());
  return ascii && DOMAIN.test(ascii) ? ascii : null;
}

/** Canonical form of an indicator, or null when the value is not valid for its type. */
export function normalizeIndicator(type: IndicatorType, raw: string): string | null {
  const value = raw.trim();
  switch (type) {
    case 'ipv4':
      return isIPv4(value) ? value : null;
    case 'ipv6':
      return canonicalIpv6(value);
    case 'cidr': {
      const [address, prefixText, extra] = value.split('/');
      if (extra !== undefined || !prefixText || !/^\d{1,3}$/.test(prefixText)) return null;
      const prefix = Number(prefixText);
      if (isIPv4(address)) return prefix <= 32 ? `${address}/${prefix}` : null;
      const v6 = canonicalIpv6(address);
      return v6 && prefix <= 128 ? `${v6}/${prefix}` : null;
    }
    case 'domain':
      return canonicalDomain(value);
    case 'url': {
      try {
        const url = new URL(value);
        return ['http:', 'https:', 'ftp:'].includes(url.protocol) && url.hostname ? url.href : null;
      } catch {
        return null;
      }
    }
    case 'md5':
    case 'sha1':
    case 'sha256':
      return new RegExp(`^[0-9a-fA-F]{${HEX_LENGTH[type]}}$`).test(value) ? value.toLowerCase() : null;
    case 'wallet': {
      if (!WALLETS.some((w) => w.test(value))) return null;
      return /^(0x|bc1)/i.test(value) ? value.toLowerCase() : value;
    }
    case 'email': {
      if (!EMAIL.test(value)) return null;
      const [local, domain] = value.split('@');
      const d = canonicalDomain(domain);
      return d ? `${local.toLowerCase()}@${d}` : null;
    }
    default:
      return null;
  }
}

/** Normalises and removes duplicates, keeping the first occurrence's order. */
export function normalizeIndicators(indicators: Indicator[]): Indicator[] {
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

function IsIndicatorValue() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isIndicatorValue',
      target: object.constructor,
      propertyName,
      options: {
        message: (args: ValidationArguments) => `value is not a valid ${(args.object as IndicatorDto).type ?? 'indicator'}`,
      },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const type = (args.object as IndicatorDto).type;
          return typeof value === 'string' && INDICATOR_TYPES.includes(type) && normalizeIndicator(type, value) !== null;
        },
      },
    });
}

export class IndicatorDto {
  @OneOf(INDICATOR_TYPES)
  type!: IndicatorType;

  @ApiProperty({ example: '203.0.113.7' })
  @IsIndicatorValue()
  value!: string;
}
