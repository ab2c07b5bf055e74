import { ApiProperty } from '@nestjs/swagger';
import { registerDecorator, ValidationArguments } from 'class-validator';
import { INDICATOR_TYPES, IndicatorType } from '../../../workflows/common/domain';
import { normalizeIndicator } from '../../../activities/deconfliction/normalize';
import { OneOf } from './validation';

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

  @ApiProperty({ example: '203.0.113.7', maxLength: 2048, description: 'defanged forms (hxxp, [.]) are accepted and normalised' })
  @IsIndicatorValue()
  value!: string;
}

export { normalizeIndicator, normalizeIndicators } from '../../../activities/deconfliction/normalize';
