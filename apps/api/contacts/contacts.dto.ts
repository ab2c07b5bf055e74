import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Length, registerDecorator, ValidateNested, ValidationArguments } from 'class-validator';
import { CONTACT_CHANNELS, ContactChannel, REGIONS } from '../../../workflows/common/domain';
import { MAX_CHAIN_RANK } from '../../../workflows/dissemination/dissemination.messages';
import { IsIsoCountry, OneOf } from '../common/validation';

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

/** An e-mail address for the email channel, an http(s) URL for webhooks. */
function IsAddressForChannel() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isAddressForChannel',
      target: object.constructor,
      propertyName,
      options: { message: (args: ValidationArguments) => `address must be ${(args.object as ContactDto).channel === 'webhook' ? 'an http(s) URL' : 'an e-mail address'} for channel ${(args.object as ContactDto).channel}` },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          if (typeof value !== 'string') return false;
          if ((args.object as ContactDto).channel !== 'webhook') return EMAIL.test(value);
          try {
            return ['http:', 'https:'].includes(new URL(value).protocol);
          } catch {
            return false;
          }
        },
      },
    });
}

export class ContactDto {
  @ApiProperty({ example: 'Philippines National Reference Point', minLength: 1, maxLength: 200 }) @IsString() @Length(1, 200)
  name!: string;

  @OneOf(CONTACT_CHANNELS)
  channel!: ContactChannel;

  @ApiProperty({ example: 'primary@nrp.ph.cyberops.test', maxLength: 500, description: 'e-mail address, or http(s) URL for a webhook' })
  @IsString() @Length(3, 500) @IsAddressForChannel()
  address!: string;
}

export class ContactChainDto {
  @ApiProperty({ type: [ContactDto], minItems: 1, maxItems: MAX_CHAIN_RANK, description: 'ordered: the first is reached first' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_CHAIN_RANK) @ValidateNested({ each: true }) @Type(() => ContactDto)
  contacts!: ContactDto[];
}

export class CountryParam {
  @IsIsoCountry()
  iso!: string;
}

export class RegionParam {
  @OneOf(REGIONS)
  region!: (typeof REGIONS)[number];
}
