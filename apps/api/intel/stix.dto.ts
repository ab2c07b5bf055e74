import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { TLP_MARKINGS } from '../../../workflows/dissemination/dissemination.messages';

// Responses: the STIX 2.1 objects stix.ts writes (an item's bundle, a TAXII envelope's objects).

const stixId = (type: string) => ({ pattern: `^${type}--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$` });
const SPEC = { enum: ['2.1'] } as const;
const INSTANT = { format: 'date-time' } as const;

export class StixIdentityDto {
  @ApiProperty({ enum: ['identity'] }) type!: string;
  @ApiProperty(SPEC) spec_version!: string;
  @ApiProperty(stixId('identity')) id!: string;
  @ApiProperty(INSTANT) created!: string;
  @ApiProperty(INSTANT) modified!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['organization'] }) identity_class!: string;
}

export class StixMarkingDefinitionDto {
  @ApiProperty({ enum: ['marking-definition'] }) type!: string;
  @ApiProperty(SPEC) spec_version!: string;
  @ApiProperty({ pattern: '^marking-definition--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', description: 'the official TLP 2.0 id' }) id!: string;
  @ApiProperty(INSTANT) created!: string;
  @ApiProperty({ enum: TLP_MARKINGS }) name!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the TLP 2.0 property extension' }) extensions!: object;
}

export class StixIndicatorDto {
  @ApiProperty({ enum: ['indicator'] }) type!: string;
  @ApiProperty(SPEC) spec_version!: string;
  @ApiProperty(stixId('indicator')) id!: string;
  @ApiProperty(stixId('identity')) created_by_ref!: string;
  @ApiProperty(INSTANT) created!: string;
  @ApiProperty(INSTANT) modified!: string;
  @ApiProperty({ maxLength: 250 }) name!: string;
  @ApiProperty({ maxLength: 500 }) description!: string;
  @ApiProperty({ type: [String], example: ['malicious-activity'] }) indicator_types!: string[];
  @ApiProperty({ example: "[ipv4-addr:value = '203.0.113.7']" }) pattern!: string;
  @ApiProperty({ enum: ['stix'] }) pattern_type!: string;
  @ApiProperty(INSTANT) valid_from!: string;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100, required: false, description: 'from the Admiralty credibility (absent for 6)' }) confidence?: number;
  @ApiProperty({ type: [String], minItems: 1, maxItems: 1 }) object_marking_refs!: string[];
}

export class StixExternalReferenceDto {
  @ApiProperty({ enum: ['cyberops'] }) source_name!: string;
  @ApiProperty({ example: 'IN-1A2B3C4D5E' }) external_id!: string;
}

export class StixReportDto {
  @ApiProperty({ enum: ['report'] }) type!: string;
  @ApiProperty(SPEC) spec_version!: string;
  @ApiProperty(stixId('report')) id!: string;
  @ApiProperty(stixId('identity')) created_by_ref!: string;
  @ApiProperty(INSTANT) created!: string;
  @ApiProperty(INSTANT) modified!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: [String], example: ['threat-report'] }) report_types!: string[];
  @ApiProperty(INSTANT) published!: string;
  @ApiProperty({ type: [String], description: 'the categories and `admiralty:<grading>`' }) labels!: string[];
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100, required: false }) confidence?: number;
  @ApiProperty({ type: [StixExternalReferenceDto] }) external_references!: StixExternalReferenceDto[];
  @ApiProperty({ type: [String], minItems: 1 }) object_refs!: string[];
  @ApiProperty({ type: [String], minItems: 1, maxItems: 1 }) object_marking_refs!: string[];
}

const STIX_OBJECT_MODELS = [StixIdentityDto, StixMarkingDefinitionDto, StixIndicatorDto, StixReportDto];
/** Any object stix.ts writes, told apart by `type`. */
export const STIX_OBJECT_SCHEMA = {
  oneOf: STIX_OBJECT_MODELS.map((m) => ({ $ref: getSchemaPath(m) })),
  discriminator: {
    propertyName: 'type',
    mapping: {
      identity: getSchemaPath(StixIdentityDto),
      'marking-definition': getSchemaPath(StixMarkingDefinitionDto),
      indicator: getSchemaPath(StixIndicatorDto),
      report: getSchemaPath(StixReportDto),
    },
  },
};

@ApiExtraModels(...STIX_OBJECT_MODELS)
export class StixBundleDto {
  @ApiProperty({ enum: ['bundle'] }) type!: string;
  @ApiProperty(stixId('bundle')) id!: string;
  @ApiProperty({ type: 'array', items: STIX_OBJECT_SCHEMA, minItems: 3, description: 'identity, marking definition, indicators, then the report' } as never)
  objects!: object[];
}
