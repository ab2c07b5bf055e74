// Response shapes the OpenAPI document does not describe yet, taken from the same types the
// API returns (type-only imports: nothing from the workflows reaches the bundle).
import type { Region, Role, Indicator } from '../../../../workflows/common/domain';
import type { ClockName, SupportRequestSnapshot } from '../../../../workflows/support-request/support-request.messages';
import type { CountrySnapshot, OperationSnapshot, Totals } from '../../../../workflows/operation/operation.messages';
import type { ClockSnapshot } from '../../../../workflows/sla/sla-clock';

export type { Region, Role, Indicator, ClockName, CountrySnapshot, Totals };

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type ClockView = Pick<ClockSnapshot, 'deadline' | 'state' | 'budgetMs' | 'remainingMs' | 'pausedMs'>;

export interface SupportRequestRow {
  id: string;
  status: SupportRequestSnapshot['status'];
  country: string;
  region: Region;
  priority: SupportRequestSnapshot['priority'];
  category: SupportRequestSnapshot['category'];
  mode: SupportRequestSnapshot['mode'];
  title: string;
  assignee: string | null;
  sla: ({ warnAt: number } & Record<ClockName, ClockView>) | null;
  createdAt: string;
  updatedAt: string;
}

export interface DeconflictionView {
  hit: boolean;
  checkedAt?: string;
  hits: Array<{ indicator: Indicator; contact?: unknown; objectType?: string; objectId?: string; country?: string }>;
}

export type SupportRequestDetail = Omit<SupportRequestSnapshot, 'idempotency' | 'deconfliction'> & { deconfliction: DeconflictionView; live: boolean };

export interface HistoryEntry {
  id: string;
  at: string;
  action: string;
  actor: { sub: string; role: string; country: string | null };
  before: string | null;
  after: string | null;
  data: unknown;
}

export interface OperationRow {
  id: string;
  name: string;
  phase: OperationSnapshot['phase'];
  exercise: boolean;
  categories: string[];
  countries?: number;
  instants: OperationSnapshot['instants'];
  totals: Totals | null;
  createdAt: string;
}

export type OperationDetail = OperationSnapshot & {
  live: boolean;
  /** The working-group action-plan item the operation came from. */
  actionPlanItem?: { id: string; workingGroupId: string; region: Region; year: number; n: number; title: string; kind: string; ownerCountry: string } | null;
};

export interface Alert {
  id: string;
  kind: 'sla_warning' | 'sla_breach' | 'deadline_missed' | 'ack_overdue';
  objectType: string;
  objectId: string;
  clock: string | null;
  country: string | null;
  region: string | null;
  level: number;
  levelName: string | null;
  raisedAt: string;
  escalatedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
}

export interface Country {
  iso: string;
  name: string;
  region: Region;
  groups: string[];
}

export interface CountryGroup {
  code: string;
  name: string;
  members: string[];
}

export interface Contact {
  id: string;
  countryIso: string | null;
  region: Region | null;
  role: string;
  rank: number;
  name: string;
  channel: 'email' | 'webhook';
  address: string;
}

export interface SlaPolicy {
  priority: string;
  triage: string;
  firstResponse: string;
  resolution: string;
  acknowledge: string;
  warnAt: number;
  version?: number;
}

export interface Persona {
  sub: string;
  role: Role;
  country?: string;
  region?: Region;
  token: string;
}
