import type { Tlp } from '../../../workflows/dissemination/dissemination.messages';
import type { Principal } from '../auth/principal';

// The TLP 2.0 read rules of DESIGN.md, in one place: the API, STIX and TAXII all ask here.

export type ReadAccess = 'read' | 'recalled' | 'hidden';

export interface AccessFacts {
  tlp: Tlp;
  originatorSub: string;
  originatorCountry: string | null;
  disseminations: Array<{ status: string; analystSub: string; namedAddresses: string[]; recipientIsos: string[] }>;
}

const LIVE = ['active', 'completed'];
const STAFF_CEILING: Record<string, readonly Tlp[]> = {
  analyst: ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT'],
  supervisor: ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT'],
  coordinator: ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER'],
  admin: ['TLP:CLEAR', 'TLP:GREEN'],
};

/**
 * Content (title, summary, indicators, STIX/TAXII) or not. A recipient of a recalled
 * dissemination gets 'recalled' (410) unless it may read the item on other grounds.
 */
export function readAccess(user: Principal, f: AccessFacts): ReadAccess {
  if (user.sub === f.originatorSub) return 'read';
  if (STAFF_CEILING[user.role]?.includes(f.tlp)) return 'read';
  if (f.tlp === 'TLP:RED' && user.role === 'analyst' && f.disseminations.some((d) => d.analystSub === user.sub)) return 'read';
  // RED goes to named contacts (token sub = contact address); the others to member countries.
  const isRecipient = (d: AccessFacts['disseminations'][number]) =>
    f.tlp === 'TLP:RED' ? d.namedAddresses.includes(user.sub) : user.role === 'member' && !!user.country && d.recipientIsos.includes(user.country);
  if (f.disseminations.some((d) => LIVE.includes(d.status) && isRecipient(d))) return 'read';
  if (f.disseminations.some((d) => d.status === 'recalled' && isRecipient(d))) return 'recalled';
  if (f.tlp === 'TLP:CLEAR' || f.tlp === 'TLP:GREEN') return 'read';
  if ((f.tlp === 'TLP:AMBER' || f.tlp === 'TLP:AMBER+STRICT') && user.role === 'member' && user.country === f.originatorCountry) return 'read';
  return 'hidden';
}
