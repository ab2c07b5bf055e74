import { createHash } from 'node:crypto';
import type { Indicator } from '../../../workflows/common/domain';
import type { Tlp } from '../../../workflows/dissemination/dissemination.messages';

// An intelligence item as STIX 2.1: the fusion centre's identity, one report, one indicator per
// indicator (STIX patterns), and the TLP 2.0 marking definitions under their official ids.

const TLP_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
const TLP_CREATED = '2022-10-01T00:00:00.000Z';
export const TLP_MARKING_IDS: Record<Tlp, string> = {
  'TLP:CLEAR': 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  'TLP:GREEN': 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  'TLP:AMBER': 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'TLP:AMBER+STRICT': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  'TLP:RED': 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

const NAMESPACE = 'cyberops/stix/';

/**
 * Deterministic ids, so the same item gives the same STIX and TAXII ids on every read. STIX 2.1
 * wants version-4 UUIDs for domain objects: hash bits in the v4 layout.
 */
export function stableUuid(name: string): string {
  const hash = createHash('sha256').update(NAMESPACE).update(name).digest();
  hash[6] = (hash[6] & 0x0f) | 0x40;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const IDENTITY_ID = `identity--${stableUuid('cyberops/fusion-centre')}`;
const IDENTITY_CREATED = '2026-01-01T00:00:00.000Z';

/** STIX confidence from Admiralty information credibility (STIX 2.1 appendix, Admiralty scale). */
const CONFIDENCE: Record<number, number | undefined> = { 1: 90, 2: 70, 3: 50, 4: 30, 5: 10, 6: undefined };

const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function stixPattern(i: Indicator): string {
  const v = quote(i.value);
  switch (i.type) {
    case 'ipv4':
      return `[ipv4-addr:value = ${v}]`;
    case 'ipv6':
      return `[ipv6-addr:value = ${v}]`;
    case 'cidr':
      return i.value.includes(':') ? `[ipv6-addr:value ISSUBSET ${v}]` : `[ipv4-addr:value ISSUBSET ${v}]`;
    case 'domain':
      return `[domain-name:value = ${v}]`;
    case 'url':
      return `[url:value = ${v}]`;
    case 'md5':
      return `[file:hashes.MD5 = ${v}]`;
    case 'sha1':
      return `[file:hashes.'SHA-1' = ${v}]`;
    case 'sha256':
      return `[file:hashes.'SHA-256' = ${v}]`;
    case 'email':
      return `[email-addr:value = ${v}]`;
    case 'wallet':
      // STIX 2.1 has no cryptocurrency object in its core; the common extension's object type.
      return `[cryptocurrency-wallet:address = ${v}]`;
  }
}

export interface StixItem {
  id: string;
  title: string;
  summary: string;
  categories: string[];
  indicators: Indicator[];
  tlp: Tlp;
  reliability: string;
  credibility: number;
  createdAt: Date;
}

export function tlpMarkingObject(tlp: Tlp) {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP_MARKING_IDS[tlp],
    created: TLP_CREATED,
    name: tlp,
    extensions: { [TLP_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: tlp.slice(4).toLowerCase() } },
  };
}

export function identityObject() {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: IDENTITY_ID,
    created: IDENTITY_CREATED,
    modified: IDENTITY_CREATED,
    name: 'Cyber Fusion Centre',
    identity_class: 'organization',
  };
}

/** Every STIX object of one item (identity and marking first, then indicators, then the report). */
export function stixObjects(item: StixItem): Array<Record<string, unknown>> {
  const at = item.createdAt.toISOString();
  const marking = [TLP_MARKING_IDS[item.tlp]];
  const confidence = CONFIDENCE[item.credibility];
  const indicators = item.indicators.map((i) => ({
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${stableUuid(`${item.id}/${i.type}:${i.value}`)}`,
    created_by_ref: IDENTITY_ID,
    created: at,
    modified: at,
    name: `${i.type} ${i.value}`.slice(0, 250),
    description: `Indicator of ${item.id}: ${item.title}`.slice(0, 500),
    indicator_types: ['malicious-activity'],
    pattern: stixPattern(i),
    pattern_type: 'stix',
    valid_from: at,
    ...(confidence !== undefined ? { confidence } : {}),
    object_marking_refs: marking,
  }));
  const report = {
    type: 'report',
    spec_version: '2.1',
    id: `report--${stableUuid(item.id)}`,
    created_by_ref: IDENTITY_ID,
    created: at,
    modified: at,
    name: item.title,
    description: item.summary,
    report_types: ['threat-report'],
    published: at,
    labels: [...item.categories, `admiralty:${item.reliability}${item.credibility}`],
    ...(confidence !== undefined ? { confidence } : {}),
    external_references: [{ source_name: 'cyberops', external_id: item.id }],
    object_refs: indicators.length ? indicators.map((i) => i.id) : [IDENTITY_ID],
    object_marking_refs: marking,
  };
  return [identityObject(), tlpMarkingObject(item.tlp), ...indicators, report];
}

export function stixBundle(item: StixItem) {
  return { type: 'bundle', id: `bundle--${stableUuid(`${item.id}/bundle/${item.createdAt.toISOString()}`)}`, objects: stixObjects(item) };
}
