import { Transform } from 'class-transformer';
import { FEEDBACK_OUTCOMES } from '../../../workflows/common/deconfliction';
import { CATEGORIES, PRIORITIES, REGIONS } from '../../../workflows/common/domain';
import {
  DISSEMINATION_STATUSES,
  INTEL_STATUSES,
  RELIABILITY,
  SOURCE_KINDS,
  TLP_MARKINGS,
} from '../../../workflows/dissemination/dissemination.messages';
import { INDICATOR_SCHEMA, IndicatorDto } from '../common/indicators';
import { PageQuery } from '../common/paging';
import { Duration, Integer, IsIsoCountry, ISO_COUNTRY, Nested, OneOf, Text, TextList } from '../common/validation';

// Group names are matched in capitals, as stored.
const upper = ({ value }: { value: unknown }) => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.toUpperCase() : v)) : value);
const INTEL_ID = /^IN-[0-9A-F]{10}$/;
const DISSEMINATION_ID = /^DS-[0-9A-F]{10}$/;

export class IntelSourceDto {
  @OneOf(SOURCE_KINDS)
  kind!: (typeof SOURCE_KINDS)[number];

  @Text(200, { optional: true, example: 'CERT-PH' })
  name?: string;

  @OneOf(RELIABILITY)
  reliability!: (typeof RELIABILITY)[number];
}

export class SubmitIntelDto {
  @Text(300, { minLength: 3, example: 'Bulletproof hoster serving ransomware C2' })
  title!: string;

  @Text(20_000)
  summary!: string;

  @TextList(CATEGORIES.length, { enum: CATEGORIES }, { minItems: 1, unique: true })
  categories!: (typeof CATEGORIES)[number][];

  @Nested(() => IndicatorDto, { maxItems: 1000, schema: { type: 'array', items: INDICATOR_SCHEMA, maxItems: 1000 } })
  indicators!: IndicatorDto[];

  @OneOf(PRIORITIES)
  priority!: (typeof PRIORITIES)[number];

  @OneOf(TLP_MARKINGS)
  tlp!: (typeof TLP_MARKINGS)[number];

  @Nested(() => IntelSourceDto)
  source!: IntelSourceDto;

  @Integer(1, 6, { description: 'Admiralty information credibility' })
  credibility!: number;
}

export class ListIntelQuery extends PageQuery {
  @OneOf(TLP_MARKINGS, { optional: true })
  tlp?: string;

  @OneOf(PRIORITIES, { optional: true })
  priority?: string;

  @OneOf(INTEL_STATUSES, { optional: true })
  status?: string;

  @OneOf(CATEGORIES, { optional: true })
  category?: string;

  @IsIsoCountry({ optional: true })
  country?: string;
}

export class IntelIdParam {
  @Text(13, { minLength: 13, pattern: INTEL_ID, patternHint: 'look like IN-1A2B3C4D5E', example: 'IN-1A2B3C4D5E' })
  id!: string;
}

export class DisseminationIdParam {
  @Text(13, { minLength: 13, pattern: DISSEMINATION_ID, patternHint: 'look like DS-1A2B3C4D5E', example: 'DS-1A2B3C4D5E' })
  id!: string;
}

export class RecipientParam extends DisseminationIdParam {
  @IsIsoCountry()
  iso!: string;
}

export class DisseminateDto {
  @TextList(300, { maxLength: 2, pattern: ISO_COUNTRY, patternHint: 'be an ISO 3166-1 alpha-2 code in capitals like "PH"' }, { optional: true, example: ['PH', 'TH'] })
  countries?: string[];

  @TextList(50, { maxLength: 50 }, { optional: true, example: ['ASEAN'] }) @Transform(upper)
  groups?: string[];

  @TextList(REGIONS.length, { enum: REGIONS }, { optional: true })
  regions?: string[];

  @TextList(100, { maxLength: 100 }, { optional: true, example: ['PH-primary'], description: 'contact ids; required for TLP:RED, which goes to named contacts only' })
  contacts?: string[];

  @Duration({ optional: true, example: '3d', description: 'feedback reminder after delivery (default: 3 × the priority\'s acknowledge SLA)' })
  feedbackReminder?: string;

  @Duration({ optional: true, example: '2h', description: 'originator approval deadline for a widened RED / AMBER+STRICT audience (default: the acknowledge SLA)' })
  approvalWithin?: string;
}


export class FeedbackDto {
  @OneOf(FEEDBACK_OUTCOMES)
  outcome!: (typeof FEEDBACK_OUTCOMES)[number];

  @Text(5000)
  note!: string;
}

export class RecallDto {
  @Text(2000)
  reason!: string;
}

export class ApprovalDto {
  @OneOf(['approve', 'refuse'])
  decision!: 'approve' | 'refuse';

  @Text(2000, { optional: true, minLength: 0 })
  note?: string;
}

export class ListDisseminationsQuery extends PageQuery {
  @OneOf(DISSEMINATION_STATUSES, { optional: true })
  status?: string;

  @Text(13, { optional: true, minLength: 13, pattern: INTEL_ID, patternHint: 'look like IN-1A2B3C4D5E', example: 'IN-1A2B3C4D5E' })
  intelId?: string;
}
