import type { Region, Role } from '../../../workflows/common/domain';

/** The verified caller, from the JWT claims `sub`, `role`, `country`, `region`. */
export interface Principal {
  sub: string;
  role: Role;
  country?: string;
  region?: Region;
  /** When the token stops being valid (ms since epoch); long-lived streams end then. */
  expiresAt?: number;
}
