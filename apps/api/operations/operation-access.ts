import type { Region } from '../../../workflows/common/domain';
import type { Principal } from '../auth/principal';

/** What a caller may do with one operation: steer it, only read it, or not know it exists. */
export type OperationAccess = 'steer' | 'read' | 'none';

export interface OperationParties {
  lead: string;
  countries: Array<{ iso: string; region: Region | string }>;
}

/**
 * DESIGN.md: operations are steered by their lead coordinator, global coordinators and
 * supervisors; a regional coordinator reads the operations touching its region (any
 * participating country in it); members read the operations their country takes part in.
 */
export function operationAccess(user: Principal, op: OperationParties): OperationAccess {
  switch (user.role) {
    case 'supervisor':
      return 'steer';
    case 'coordinator':
      if (!user.region || op.lead === user.sub) return 'steer';
      return op.countries.some((c) => c.region === user.region) ? 'read' : 'none';
    case 'member':
      return op.countries.some((c) => c.iso === user.country) ? 'read' : 'none';
    default:
      return 'none';
  }
}
