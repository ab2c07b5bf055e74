// Alert vocabulary shared by the workflows (which raise alerts), activities and the API.

export const ALERT_KINDS = ['sla_warning', 'sla_breach', 'deadline_missed', 'ack_overdue'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Who a ladder level pages; resolved to contact points by the activity. */
export type EscalationTarget =
  | { kind: 'assignee'; assignee: string | null; region: string }
  | { kind: 'regional_officer'; region: string }
  | { kind: 'supervisor' }
  | { kind: 'country_contact'; country: string; rank: number };

export interface RaiseAlertArgs {
  /** Idempotency key: `<workflowId>/<step>`. */
  key: string;
  workflowId: string;
  kind: AlertKind;
  objectType: string;
  objectId: string;
  clock?: string;
  country?: string | null;
  region?: string | null;
  summary: string;
}

export interface EscalateAlertArgs {
  alertId: string;
  key: string;
  level: number;
  levelName: string;
  target: EscalationTarget;
  summary: string;
}

export const ESCALATION_ALERT_STEP = 'alert';
