import { ApiProperty } from '@nestjs/swagger';
import { STIX_OBJECT_SCHEMA } from '../intel/stix.dto';

// Responses: TAXII 2.1 resources (discovery, API root, collections, envelope), in the TAXII media type.

export class TaxiiDiscoveryDto {
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ format: 'uri' }) default!: string;
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'uri' } }) api_roots!: string[];
}

export class TaxiiApiRootDto {
  @ApiProperty() title!: string;
  @ApiProperty({ type: [String], example: ['application/taxii+json;version=2.1'] }) versions!: string[];
  @ApiProperty({ type: 'integer', minimum: 1 }) max_content_length!: number;
}

export class TaxiiCollectionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: [true] }) can_read!: boolean;
  @ApiProperty({ enum: [false] }) can_write!: boolean;
  @ApiProperty({ type: [String], example: ['application/stix+json;version=2.1'] }) media_types!: string[];
}

export class TaxiiCollectionsDto {
  @ApiProperty({ type: [TaxiiCollectionDto], description: 'the caller\'s own collection and the public one' }) collections!: TaxiiCollectionDto[];
}

export class TaxiiEnvelopeDto {
  @ApiProperty({ description: 'true when `next` gives another page' }) more!: boolean;
  @ApiProperty({ required: false, pattern: '^[A-Za-z0-9_-]+$', description: 'pass as `next` for the following page' }) next?: string;
  @ApiProperty({ type: 'array', items: STIX_OBJECT_SCHEMA, required: false, description: 'absent on an empty page' } as never) objects?: object[];
}
