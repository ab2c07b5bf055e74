import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Length, registerDecorator, ValidateNested, ValidationArguments } from 'class-validator';
import { CONTACT_CHANNELS, ContactChannel, REGIONS } from '../../../workflows/common/domain';
import { MAX_CHAIN_RANK } from '../../../workflows/dissemination/dissemination.messages';
import { HTTP_URL_PATTERN, INDICATOR_RULES } from '../common/indicators';
import { ApiSchemaExtras } from '../common/openapi';
import { IsIsoCountry, OneOf } from '../common/validation';

/** The address each channel takes: the validator and the OpenAPI schema use these same patterns. */
const ADDRESS_PATTERNS: Record<ContactChannel, string> = { email: INDICATOR_RULES.email.pattern, webhook: HTTP_URL_PATTERN };
const ADDRESS_RULES = Object.fromEntries(Object.entries(ADDRESS_PATTERNS).map(([c, p]) => [c, new RegExp(p)])) as Record<ContactChannel, RegExp>;

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
          const channel = (args.object as ContactDto).channel;
          // An unknown channel is reported on `channel` alone.
          if (!CONTACT_CHANNELS.includes(channel)) return true;
          return typeof value === 'string' && ADDRESS_RULES[channel].test(value);
        },
      },
    });
}

// The channel decides the address's pattern: one branch per channel, so the document states it too.
@ApiSchemaExtras({
  oneOf: CONTACT_CHANNELS.map((channel) => ({ properties: { channel: { enum: [channel] }, address: { pattern: ADDRESS_PATTERNS[channel] } } })),
})
export class ContactDto {
  @ApiProperty({ example: 'Philippines National Reference Point', minLength: 1, maxLength: 200 }) @IsString() @Length(1, 200)
  name!: string;

  @OneOf(CONTACT_CHANNELS)
  channel!: ContactChannel;

  @ApiProperty({ example: 'primary@nrp.ph.cyberops.test', minLength: 3, maxLength: 500, description: 'e-mail address, or http(s) URL for a webhook' })
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

export class ChainContactViewDto {
  @ApiProperty({ example: 'PH-primary' }) id!: string;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) rank!: number;
  @ApiProperty({ example: 'primary', description: 'primary, backup, duty_desk, reserve_<n> or regional_officer' }) role!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: CONTACT_CHANNELS }) channel!: ContactChannel;
  @ApiProperty() address!: string;
}

export class ContactChainViewDto {
  @ApiProperty({ example: 'PH' }) iso!: string;
  @ApiProperty({ enum: REGIONS }) region!: string;
  @ApiProperty({ type: [ChainContactViewDto] }) contacts!: ChainContactViewDto[];
}

export class RegionalOfficerViewDto {
  @ApiProperty({ enum: REGIONS }) region!: string;
  @ApiProperty({ type: ChainContactViewDto }) contact!: ChainContactViewDto;
}
