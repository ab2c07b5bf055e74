// Value lists for the forms. Most come from the OpenAPI document (generated); the rest are
// checked against the workflows' types, so either side changing breaks the console's build.
import type { CountryStatus, ResultKind } from '../../../../workflows/operation/operation.messages';
export {
  pathsApiV1SupportRequestsGetParametersQueryStatusValues as REQUEST_STATUSES,
  submitSupportRequestDtoCategoryValues as CATEGORIES,
  submitSupportRequestDtoModeValues as MODES,
  submitSupportRequestDtoPriorityValues as PRIORITIES,
  supportRequestViewDtoIndicatorsTypeValues as INDICATOR_TYPES,
  triageDtoDecisionValues as TRIAGE_DECISIONS,
  actionDtoKindValues as ACTION_KINDS,
  pauseClockDtoReasonValues as PAUSE_REASONS,
  createOperationDtoRegionsValues as REGIONS,
  pathsApiV1OperationsGetParametersQueryPhaseValues as PHASES,
  createActionItemDtoKindValues as ITEM_KINDS,
  actionItemViewDtoStatusValues as ITEM_STATUSES,
} from '../../generated/api';

/** The list must name every member of T, and nothing else. */
const exhaustive =
  <T,>() =>
  <const L extends readonly T[]>(list: L & ([T] extends [L[number]] ? unknown : never)): L =>
    list;

export const RESULT_KINDS = exhaustive<ResultKind>()(['arrests', 'servers_seized', 'domains_taken_down', 'botnet_nodes_sinkholed', 'victims_notified', 'funds_frozen_usd', 'other']);
export const COUNTRY_STATUSES = exhaustive<CountryStatus>()(['planned', 'invited', 'ready', 'not_ready', 'reporting', 'final', 'withdrawn', 'aborted']);
