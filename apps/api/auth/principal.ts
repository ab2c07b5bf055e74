import type { Region, Role } from '../../../workflows/common/domain';

/** The verified caller, from the JWT claims `sub`, `role`, `country`, `region`, `org`. */
export interface Principal {
  sub: string;
  role: Role;
  country?: string;
  region?: Region;
  /** Partners only: the organisation whose grants the caller uses. */
  org?: string;
  /** When the token stops being valid (ms since epoch); long-lived streams end then. */
  expiresAt?: number;
}
