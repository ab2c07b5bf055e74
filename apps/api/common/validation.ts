import { ValidationPipe } from '@nestjs/common';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches, registerDecorator, ValidationOptions } from 'class-validator';
import { isDuration } from '../../../workflows/common/duration';
import { validationException } from './errors';

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    exceptionFactory: validationException,
  });
}

/** A value from a fixed list, documented in OpenAPI with the same list. */
export function OneOf(values: readonly string[], options: { optional?: boolean } = {}) {
  const doc = options.optional ? ApiPropertyOptional({ enum: values }) : ApiProperty({ enum: values });
  return applyDecorators(doc, ...(options.optional ? [IsOptional()] : []), IsIn(values, { message: `$property must be one of: ${values.join(', ')}` }));
}

export function IsIsoCountry(options: { optional?: boolean } = {}) {
  const doc = options.optional
    ? ApiPropertyOptional({ example: 'PH', description: 'ISO 3166-1 alpha-2' })
    : ApiProperty({ example: 'PH', description: 'ISO 3166-1 alpha-2' });
  return applyDecorators(doc, ...(options.optional ? [IsOptional()] : []), Matches(/^[A-Z]{2}$/, { message: '$property must be an ISO 3166-1 alpha-2 code like "PH"' }));
}

/** Durations as Temporal writes them: "30s", "4h", "3d". */
export function IsDuration(validationOptions?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isDuration',
      target: object.constructor,
      propertyName,
      options: { message: `$property must be a duration like "30s", "4h" or "3d"`, ...validationOptions },
      validator: { validate: (value: unknown) => isDuration(value) },
    });
}
