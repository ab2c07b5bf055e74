import { applyDecorators, ValidationPipe } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  registerDecorator,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { validationException } from './errors';

// Shared composite decorators: each validates a field and documents the same constraint in
// OpenAPI, so the document states exactly what the API accepts. DTOs use only these.

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    exceptionFactory: validationException,
  });
}

export interface FieldOptions {
  optional?: boolean;
  example?: unknown;
  description?: string;
}

/** Absent is allowed; null is not (it is validated, and fails, like any wrong value). */
export const Optional = () => ValidateIf((_object: unknown, value: unknown) => value !== undefined);

function field(options: FieldOptions, schema: ApiPropertyOptions, ...validators: PropertyDecorator[]) {
  const { optional, example, description } = options;
  const doc = { ...schema, required: !optional, ...(example !== undefined ? { example } : {}), ...(description ? { description } : {}) } as ApiPropertyOptions;
  return applyDecorators(ApiProperty(doc), ...(optional ? [Optional()] : []), ...validators);
}

/** PostgreSQL text and jsonb cannot hold NUL, so no string carries one into a workflow or a row. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this refuses
const NO_NUL = /^[^\u0000]*$/;
const NO_NUL_HINT = 'not contain NUL characters';

/** A string of 1 (or minLength) to maxLength characters, optionally matching a pattern. */
export function Text(maxLength: number, options: FieldOptions & { minLength?: number; pattern?: RegExp; patternHint?: string } = {}) {
  const minLength = options.minLength ?? 1;
  const pattern = options.pattern ?? NO_NUL;
  const patternHint = options.pattern ? options.patternHint : NO_NUL_HINT;
  return field(
    options,
    { type: String, minLength, maxLength, pattern: pattern.source },
    IsString(),
    Length(minLength, maxLength),
    Matches(pattern, { message: `$property must ${patternHint ?? `match ${pattern.source}`}` }),
  );
}

/** A value from a fixed list, documented with the same list. */
export function OneOf(values: readonly string[], options: FieldOptions = {}) {
  return field(options, { type: String, enum: [...values] }, IsIn(values, { message: `$property must be one of: ${values.join(', ')}` }));
}

export const ISO_COUNTRY = /^[A-Z]{2}$/;
const ISO_HINT = 'be an ISO 3166-1 alpha-2 code in capitals like "PH"';

export function IsIsoCountry(options: FieldOptions = {}) {
  return Text(2, { example: 'PH', description: 'ISO 3166-1 alpha-2', ...options, minLength: 2, pattern: ISO_COUNTRY, patternHint: ISO_HINT });
}

/** Durations as Temporal writes them: "30s", "4h", "3d" (a whole, positive number of a unit). */
export const DURATION = /^[1-9][0-9]{0,5}(ms|s|m|h|d|w)$/;

export function Duration(options: FieldOptions = {}) {
  return Text(8, { ...options, pattern: DURATION, patternHint: 'be a duration like "30s", "4h" or "3d"' });
}

/** RFC 3339 date-time, as the OpenAPI `date-time` format means it. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|([+-])(\d{2}):(\d{2}))$/;

export function isDateTime(value: unknown): value is string {
  const m = typeof value === 'string' ? DATE_TIME.exec(value) : null;
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offsetOk = !m[9] || (Number(m[10]) <= 23 && Number(m[11]) <= 59);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && offsetOk;
}

export function Instant(options: FieldOptions = {}) {
  return field(
    { example: '2026-12-01T08:00:00Z', ...options },
    { type: String, format: 'date-time' },
    (object: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'isDateTime',
        target: object.constructor,
        propertyName: propertyName as string,
        options: { message: '$property must be an RFC 3339 date-time like "2026-12-01T08:00:00Z"' },
        validator: { validate: isDateTime },
      }),
  );
}

/** An integer in [minimum, maximum]; query strings are converted first. */
export function Integer(minimum: number, maximum: number, options: FieldOptions & { fromQuery?: boolean; default?: number } = {}) {
  return field(
    options,
    { type: 'integer', minimum, maximum, ...(options.default !== undefined ? { default: options.default } : {}) },
    ...(options.fromQuery ? [Transform(({ value }) => (typeof value === 'string' && /^-?[0-9]+$/.test(value) ? Number(value) : value))] : []),
    IsInt(),
    Min(minimum),
    Max(maximum),
  );
}

export function Fraction(minimum: number, maximum: number, options: FieldOptions = {}) {
  return field(options, { type: Number, minimum, maximum }, IsNumber({ allowNaN: false, allowInfinity: false }), Min(minimum), Max(maximum));
}

/** true or false; in a query string only the words "true" and "false". */
export function Flag(options: FieldOptions & { fromQuery?: boolean } = {}) {
  return field(
    options,
    { type: Boolean },
    ...(options.fromQuery ? [Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))] : []),
    IsBoolean(),
  );
}

/** An array of strings, each bounded and optionally from a list or matching a pattern. */
export function TextList(
  maxItems: number,
  item: { maxLength?: number; pattern?: RegExp; patternHint?: string; enum?: readonly string[] },
  options: FieldOptions & { minItems?: number; unique?: boolean; upperCase?: boolean } = {},
) {
  const minItems = options.minItems ?? 0;
  const pattern = item.pattern ?? NO_NUL;
  const patternHint = item.pattern ? (item.patternHint ?? `match ${pattern.source}`) : NO_NUL_HINT;
  const itemSchema = item.enum
    ? { type: 'string', enum: [...item.enum] }
    : { type: 'string', minLength: 1, maxLength: item.maxLength ?? 200, pattern: pattern.source };
  const each = item.enum
    ? [IsIn(item.enum, { each: true, message: `each $property item must be one of: ${item.enum.join(', ')}` })]
    : [IsString({ each: true }), Length(1, item.maxLength ?? 200, { each: true }), Matches(pattern, { each: true, message: `each $property item must ${patternHint}` })];
  return field(
    options,
    { type: 'array', items: itemSchema, minItems, maxItems, ...(options.unique ? { uniqueItems: true } : {}) } as ApiPropertyOptions,
    IsArray(),
    ...(minItems > 0 ? [ArrayMinSize(minItems)] : []),
    ArrayMaxSize(maxItems),
    ...(options.unique ? [ArrayUnique()] : []),
    ...each,
  );
}

/** A nested object (or array of them) validated by its own DTO class. */
export function Nested(type: () => new () => object, options: FieldOptions & { maxItems?: number; minItems?: number; schema?: ApiPropertyOptions } = {}) {
  const many = options.maxItems !== undefined;
  const minItems = options.minItems ?? 0;
  const schema: ApiPropertyOptions = options.schema ?? (many ? { type: [type()], minItems, maxItems: options.maxItems } : { type: type() });
  return field(
    options,
    schema,
    // ValidateNested passes over a missing value: a required object must be there.
    ...(options.optional ? [] : [IsDefined()]),
    ...(many ? [IsArray(), ...(minItems > 0 ? [ArrayMinSize(minItems)] : []), ArrayMaxSize(options.maxItems!)] : []),
    ValidateNested({ each: many }),
    Type(type),
  );
}
