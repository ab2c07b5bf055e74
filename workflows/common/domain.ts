// Domain vocabulary shared by workflows, activities, the API and tests: one place for each fact.

export const TASK_QUEUE_DEFAULT = 'cyberops';

export const ROLES = ['member', 'coordinator', 'analyst', 'supervisor', 'admin', 'partner'] as const;
/** A partner organisation's id in the `org` claim (lower-case, like a domain label). */
export const PARTNER_ORG = /^[a-z0-9][a-z0-9._-]{1,99}$/;
export type Role = (typeof ROLES)[number];

export const REGIONS = ['AFRICA', 'AMERICAS', 'EURASIA', 'MENA'] as const;
export type Region = (typeof REGIONS)[number];

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CATEGORIES = [
  'botnet',
  'malware',
  'bulletproof_hosting',
  'remittance_service',
  'ddos_service',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const INDICATOR_TYPES = [
  'ipv4',
  'ipv6',
  'cidr',
  'domain',
  'url',
  'md5',
  'sha1',
  'sha256',
  'wallet',
  'email',
] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

export interface Indicator {
  type: IndicatorType;
  value: string;
}

/** Who did something; carried into workflows so the audit trail can name them. */
export interface Actor {
  sub: string;
  role: Role;
  country?: string;
  region?: string;
  requestId?: string;
}

export const CONTACT_CHANNELS = ['email', 'webhook'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export interface ContactPoint {
  id: string;
  name: string;
  role: string;
  channel: ContactChannel;
  address: string;
}
