import type { Principal } from './principal';

/**
 * What part of the world a caller may see. Members: their country. Regional coordinators:
 * their region. Global coordinators, analysts, supervisors, admins: everything.
 * Coordinators without a region claim are global (DESIGN.md: absent = global).
 */
export interface Scope {
  country?: string;
  region?: string;
}

/** Matches no country: a partner that reached a scoped read by mistake sees nothing. */
const NO_COUNTRY = '--';

export function scopeOf(principal: Principal): Scope {
  if (principal.role === 'partner') return { country: NO_COUNTRY };
  if (principal.role === 'member') return { country: principal.country };
  if (principal.role === 'coordinator' && principal.region) return { region: principal.region };
  return {};
}

export function inScope(principal: Principal, object: { country?: string | null; region?: string | null }): boolean {
  const scope = scopeOf(principal);
  if (scope.country && object.country !== scope.country) return false;
  if (scope.region && object.region !== scope.region) return false;
  return true;
}
