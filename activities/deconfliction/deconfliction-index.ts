import type { Prisma, PrismaClient } from '@prisma/client';
import {
  ACTED_UPON,
  ActedUpon,
  ContactRef,
  Deconfliction,
  DeconflictionHit,
  FeedbackOutcome,
  SightingObjectType,
} from '../../workflows/common/deconfliction';
import type { Indicator } from '../../workflows/common/domain';

// The one deconfliction service over the one index (`IndicatorSighting`, unique per object and
// indicator, looked up by its (type, value) index): support requests, intel items,
// disseminations, operation results and recipients' feedback all write and read it here.

type Db = PrismaClient | Prisma.TransactionClient;

export interface SightingOwner {
  objectType: SightingObjectType;
  objectId: string;
  country: string | null;
}

/** How many matching sightings one check returns at most (the rest is counted, not listed). */
const MAX_MATCHES = 200;

/** Adds the object's (already normalised) indicators to the index; a repeat adds nothing. */
export async function recordSightings(db: Db, owner: SightingOwner, indicators: readonly Indicator[], outcome?: FeedbackOutcome): Promise<void> {
  if (indicators.length === 0) return;
  await db.indicatorSighting.createMany({
    data: indicators.map((i) => ({ type: i.type, value: i.value, ...owner, outcome: outcome ?? null })),
    skipDuplicates: true,
  });
}

export interface IndexMatch {
  indicator: Indicator;
  objectType: SightingObjectType;
  objectId: string;
  country: string | null;
  outcome: FeedbackOutcome | null;
}

/** Every sighting of these indicators except the object's own: one index probe per indicator. */
export async function lookupSightings(db: Db, indicators: readonly Indicator[], exclude?: Pick<SightingOwner, 'objectType' | 'objectId'>): Promise<IndexMatch[]> {
  if (indicators.length === 0) return [];
  const rows = await db.indicatorSighting.findMany({
    where: {
      OR: indicators.map((i) => ({ type: i.type, value: i.value })),
      ...(exclude ? { NOT: { objectType: exclude.objectType, objectId: exclude.objectId } } : {}),
    },
    select: { type: true, value: true, objectType: true, objectId: true, country: true, outcome: true },
    orderBy: { id: 'asc' },
    take: MAX_MATCHES,
  });
  return rows.map((r) => ({
    indicator: { type: r.type as Indicator['type'], value: r.value },
    objectType: r.objectType as SightingObjectType,
    objectId: r.objectId,
    country: r.country,
    outcome: r.outcome as FeedbackOutcome | null,
  }));
}

/** Each country's primary contact: the point to call about an overlap. */
export async function primaryContacts(db: Db, countries: Iterable<string | null>): Promise<Map<string, ContactRef>> {
  const isos = [...new Set([...countries].filter((c): c is string => !!c))];
  if (isos.length === 0) return new Map();
  const rows = await db.contact.findMany({ where: { countryIso: { in: isos }, rank: 1 }, select: { countryIso: true, name: true, channel: true, address: true } });
  return new Map(rows.map((c) => [c.countryIso!, { name: c.name, channel: c.channel, address: c.address }]));
}

/** Splits matches into overlaps (hits) and feedback that says someone already acted on them. */
export async function describeMatches(db: Db, matches: IndexMatch[]): Promise<Deconfliction> {
  const contacts = await primaryContacts(db, matches.map((m) => m.country));
  const contactOf = (iso: string | null) => (iso && contacts.get(iso)) || null;
  const hits: DeconflictionHit[] = [];
  const actedUpon: ActedUpon[] = [];
  for (const m of matches) {
    if (m.objectType === 'feedback') {
      if (m.outcome && ACTED_UPON.includes(m.outcome)) actedUpon.push({ indicator: m.indicator, outcome: m.outcome, country: m.country, contact: contactOf(m.country) });
      continue;
    }
    hits.push({ indicator: m.indicator, objectType: m.objectType, objectId: m.objectId, country: m.country, contact: contactOf(m.country) });
  }
  return { hit: hits.length > 0 || actedUpon.length > 0, hits, alreadyActedUpon: actedUpon.length > 0, actedUpon, checkedAt: new Date().toISOString() };
}

/** Records the object's indicators and answers what was seen before. Idempotent. */
export async function deconflict(db: Db, owner: SightingOwner, indicators: readonly Indicator[]): Promise<Deconfliction> {
  await recordSightings(db, owner, indicators);
  return describeMatches(db, await lookupSightings(db, indicators, owner));
}
