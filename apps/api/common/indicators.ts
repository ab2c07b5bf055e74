import { ApiProperty } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { registerDecorator, ValidationArguments } from 'class-validator';
import { INDICATOR_TYPES, IndicatorType } from '../../../workflows/common/domain';
import { normalizeIndicator } from '../../../activities/deconfliction/normalize';
import { OneOf } from './validation';

// What each indicator type accepts, written once as a pattern: the API validates with it and the
// OpenAPI document publishes it. Defanged forms are also read back; the shared normaliser
// (activities/deconfliction/normalize.ts) canonicalises every value.

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = `(?:${OCTET}\\.){3}${OCTET}`;
const H = '[0-9a-fA-F]{1,4}';
const IPV6 = [
  `(?:${H}:){7}${H}`,
  `(?:${H}:){1,7}:`,
  `(?:${H}:){1,6}:${H}`,
  `(?:${H}:){1,5}(?::${H}){1,2}`,
  `(?:${H}:){1,4}(?::${H}){1,3}`,
  `(?:${H}:){1,3}(?::${H}){1,4}`,
  `(?:${H}:){1,2}(?::${H}){1,5}`,
  `${H}:(?::${H}){1,6}`,
  `:(?:(?::${H}){1,7}|:)`,
  `(?:${H}:){6}${IPV4}`,
  `::(?:[fF]{4}(?::0{1,4})?:)?${IPV4}`,
  `(?:${H}:){1,4}:${IPV4}`,
]
  .map((alternative) => `(?:${alternative})`)
  .join('|');
const LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?';
const DOMAIN = `(?:${LABEL}\\.)+(?:[a-zA-Z]{2,63}|[xX][nN]--[a-zA-Z0-9-]{1,59})`;
const PORT = '(?:[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';
const URL_CHARS = "[A-Za-z0-9._~!$&'()*+,;=:@%/-]";
const WALLETS = [
  '[bB][cC]1[ac-hj-np-zAC-HJ-NP-Z02-9]{25,87}', // bech32 bitcoin
  '[13][a-km-zA-HJ-NP-Z1-9]{25,34}', // legacy bitcoin
  '0x[0-9a-fA-F]{40}', // ethereum and EVM chains
  'T[1-9A-HJ-NP-Za-km-z]{33}', // tron
  '[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93}', // monero
];

/** An http(s) URL a webhook can be posted to (the indicator URL rule without ftp or a fragment). */
export const HTTP_URL_PATTERN = `^[hH][tT][tT][pP][sS]?://(?:${DOMAIN}|${IPV4}|localhost)(?::${PORT})?(?:/${URL_CHARS}*)?(?:\\?(?:${URL_CHARS}|\\?)*)?$`;

export const INDICATOR_RULES: Record<IndicatorType, { pattern: string; maxLength: number; example: string }> = {
  ipv4: { pattern: `^${IPV4}$`, maxLength: 15, example: '203.0.113.7' },
  ipv6: { pattern: `^(?:${IPV6})$`, maxLength: 45, example: '2001:db8::7' },
  cidr: { pattern: `^(?:${IPV4}/(?:3[0-2]|[12]?[0-9])|(?:${IPV6})/(?:12[0-8]|1[01][0-9]|[1-9]?[0-9]))$`, maxLength: 49, example: '198.51.100.0/24' },
  domain: { pattern: `^${DOMAIN}\\.?$`, maxLength: 254, example: 'c2.example.net' },
  url: {
    pattern: `^(?:[hH][tT][tT][pP][sS]?|[fF][tT][pP])://(?:${DOMAIN}|${IPV4})(?::${PORT})?(?:/${URL_CHARS}*)?(?:\\?(?:${URL_CHARS}|\\?)*)?(?:#(?:${URL_CHARS}|\\?)*)?$`,
    maxLength: 2048,
    example: 'https://c2.example.net/gate.php',
  },
  md5: { pattern: '^[0-9a-fA-F]{32}$', maxLength: 32, example: 'd41d8cd98f00b204e9800998ecf8427e' },
  sha1: { pattern: '^[0-9a-fA-F]{40}$', maxLength: 40, example: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' },
  sha256: { pattern: '^[0-9a-fA-F]{64}$', maxLength: 64, example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
  wallet: { pattern: `^(?:${WALLETS.join('|')})$`, maxLength: 98, example: '0x52908400098527886e0f7030069857d2e4169ee7' },
  email: { pattern: `^[A-Za-z0-9.!#$%&'*+/=?^_\`{|}~-]{1,64}@${DOMAIN}$`, maxLength: 318, example: 'operator@bulletproof.example' },
};

const COMPILED = Object.fromEntries(Object.entries(INDICATOR_RULES).map(([t, r]) => [t, new RegExp(r.pattern)])) as Record<IndicatorType, RegExp>;

/** The documented pattern, or a defanged form (hxxp, [.]) the shared normaliser reads back. */
export function isIndicatorValue(type: IndicatorType, value: unknown): value is string {
  const rule = INDICATOR_RULES[type];
  if (typeof value !== 'string' || value.length > 2048) return false;
  return (value.length <= rule.maxLength && COMPILED[type].test(value)) || normalizeIndicator(type, value) !== null;
}

/** The OpenAPI schema of an indicator: one alternative per type, each with its value pattern. */
export const INDICATOR_SCHEMA: SchemaObject = {
  oneOf: INDICATOR_TYPES.map((type) => ({
    type: 'object',
    required: ['type', 'value'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', enum: [type] },
      value: { type: 'string', ...INDICATOR_RULES[type] },
    },
  })),
};

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
          return INDICATOR_TYPES.includes(type) && isIndicatorValue(type, value);
        },
      },
    });
}

export class IndicatorDto {
  @OneOf(INDICATOR_TYPES)
  type!: IndicatorType;

  @ApiProperty({ example: '203.0.113.7', maxLength: 2048, description: 'valid for its type (the pattern of each alternative); defanged forms (hxxp, [.]) are accepted and normalised' })
  @IsIndicatorValue()
  value!: string;
}

export { normalizeIndicator, normalizeIndicators } from '../../../activities/deconfliction/normalize';
