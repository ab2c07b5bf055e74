import { ApiProperty } from '@nestjs/swagger';
import { FEEDBACK_OUTCOMES, SIGHTING_OBJECT_TYPES } from '../../../workflows/common/deconfliction';
import { INDICATOR_TYPES } from '../../../workflows/common/domain';

// Responses: what a deconfliction answers (the check route, and the result an intelligence item keeps).

const nullableString = { type: String, nullable: true } as const;

export class NormalizedIndicatorDto {
  @ApiProperty({ enum: INDICATOR_TYPES }) type!: string;
  @ApiProperty({ description: 'normalised (refanged, lower-cased where the type is)' }) value!: string;
}

export class DeconflictionContactDto {
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'email' }) channel!: string;
  @ApiProperty() address!: string;
}

export class DeconflictionHitDto {
  @ApiProperty({ type: NormalizedIndicatorDto }) indicator!: NormalizedIndicatorDto;
  @ApiProperty({ type: DeconflictionContactDto, nullable: true, description: 'whom to call: the owning country\'s primary contact' }) contact!: DeconflictionContactDto | null;
  @ApiProperty({ enum: SIGHTING_OBJECT_TYPES, required: false, description: 'staff only' }) objectType?: string;
  @ApiProperty({ required: false, description: 'staff only' }) objectId?: string;
  @ApiProperty({ ...nullableString, required: false, description: 'staff only' }) country?: string | null;
}

export class ActedUponDto {
  @ApiProperty({ type: NormalizedIndicatorDto }) indicator!: NormalizedIndicatorDto;
  @ApiProperty({ enum: FEEDBACK_OUTCOMES }) outcome!: string;
  @ApiProperty({ type: DeconflictionContactDto, nullable: true }) contact!: DeconflictionContactDto | null;
  @ApiProperty({ ...nullableString, required: false, description: 'staff only' }) country?: string | null;
}

/** The deconfliction an object keeps; members and partners see hit / no-hit and whom to call. */
export class DeconflictionResultDto {
  @ApiProperty() hit!: boolean;
  @ApiProperty({ type: [DeconflictionHitDto] }) hits!: DeconflictionHitDto[];
  @ApiProperty({ format: 'date-time', required: false, description: 'absent when no check was recorded' }) checkedAt?: string;
  @ApiProperty({ required: false }) alreadyActedUpon?: boolean;
  @ApiProperty({ type: [ActedUponDto], required: false }) actedUpon?: ActedUponDto[];
}

export class SightingObjectDto {
  @ApiProperty({ enum: SIGHTING_OBJECT_TYPES }) objectType!: string;
  @ApiProperty() objectId!: string;
  @ApiProperty(nullableString) country!: string | null;
}

export class ActedUponCountryDto {
  @ApiProperty({ enum: FEEDBACK_OUTCOMES }) outcome!: string;
  @ApiProperty(nullableString) country!: string | null;
}

export class IndicatorCheckDto {
  @ApiProperty({ type: NormalizedIndicatorDto }) indicator!: NormalizedIndicatorDto;
  @ApiProperty() hit!: boolean;
  @ApiProperty() alreadyActedUpon!: boolean;
  @ApiProperty({ type: [DeconflictionContactDto], description: 'whom to call: each other country\'s primary contact, a partner sighting\'s granting officer' }) contacts!: DeconflictionContactDto[];
  @ApiProperty({ type: [SightingObjectDto], required: false, description: 'staff only' }) objects?: SightingObjectDto[];
  @ApiProperty({ type: [ActedUponCountryDto], required: false, description: 'staff only' }) actedUpon?: ActedUponCountryDto[];
}

export class DeconflictionCheckResultDto {
  @ApiProperty() hit!: boolean;
  @ApiProperty() alreadyActedUpon!: boolean;
  @ApiProperty({ type: [IndicatorCheckDto], description: 'one per indicator asked, normalised' }) results!: IndicatorCheckDto[];
}
