import type { PrismaClient } from '@prisma/client';
import { COUNTRIES, COUNTRY_GROUPS } from './seed-data/countries';
import { STAFF } from './seed-data/staff';

export const DEFAULT_SLA_POLICIES = [
  { priority: 'P1', triage: '1h', firstResponse: '4h', resolution: '3d', acknowledge: '2h', warnAt: 0.75 },
  { priority: 'P2', triage: '4h', firstResponse: '1d', resolution: '7d', acknowledge: '8h', warnAt: 0.75 },
  { priority: 'P3', triage: '1d', firstResponse: '3d', resolution: '14d', acknowledge: '1d', warnAt: 0.75 },
  { priority: 'P4', triage: '3d', firstResponse: '7d', resolution: '30d', acknowledge: '3d', warnAt: 0.75 },
] as const;

const CHAIN = [
  { role: 'primary', label: 'National Reference Point' },
  { role: 'backup', label: 'Backup National Reference Point' },
  { role: 'duty_desk', label: '24/7 Duty Desk' },
] as const;

export interface SeedSummary {
  countries: number;
  groups: number;
  contacts: number;
  slaPolicies: number;
}

/**
 * Idempotent: reference data is upserted by natural key, so a second run changes nothing.
 * SLA policies are only created, never overwritten: an admin's change survives a restart.
 */
export async function seedDatabase(prisma: PrismaClient): Promise<SeedSummary> {
  const regions = [...new Set(COUNTRIES.map((c) => c.region))];
  await prisma.$transaction(
    async (tx) => {
      // Names and regions are reference data owned by this file: new rows inserted, changed rows updated.
      await tx.country.createMany({ data: COUNTRIES.map((c) => ({ ...c })), skipDuplicates: true });
      const existing = await tx.country.findMany();
      const wanted = new Map(COUNTRIES.map((c) => [c.iso, c]));
      for (const row of existing) {
        const want = wanted.get(row.iso);
        if (want && (want.name !== row.name || want.region !== row.region)) {
          await tx.country.update({ where: { iso: row.iso }, data: { name: want.name, region: want.region } });
        }
      }
      for (const g of COUNTRY_GROUPS) {
        await tx.countryGroup.upsert({ where: { code: g.code }, create: { code: g.code, name: g.name }, update: { name: g.name } });
        await tx.countryGroupMember.createMany({
          data: g.members.map((iso) => ({ groupCode: g.code, countryIso: iso })),
          skipDuplicates: true,
        });
      }
      const contacts = [
        ...COUNTRIES.flatMap((c) =>
          CHAIN.map((link, i) => ({
            id: `${c.iso}-${link.role}`,
            countryIso: c.iso,
            region: c.region,
            role: link.role,
            rank: i + 1,
            name: `${c.name} ${link.label}`,
            channel: 'email',
            address: `${link.role.replace('_', '-')}@nrp.${c.iso.toLowerCase()}.cyberops.test`,
          })),
        ),
        ...regions.map((region) => ({
          id: `${region}-regional_officer`,
          countryIso: null,
          region,
          role: 'regional_officer',
          rank: 1,
          name: `Digital Crime Officer ${region}`,
          channel: 'email',
          address: `dco-${region.toLowerCase()}@cyberops.test`,
        })),
        {
          id: 'GLOBAL-supervisor',
          countryIso: null,
          region: null,
          role: 'supervisor',
          rank: 1,
          name: 'Head of Unit, Cybercrime Directorate',
          channel: 'email',
          address: 'supervisor@cyberops.test',
        },
      ];
      // A country whose chain an admin has edited keeps it: seed only countries without contacts.
      const edited = new Set((await tx.contact.findMany({ where: { countryIso: { not: null } }, select: { countryIso: true }, distinct: ['countryIso'] })).map((c) => c.countryIso));
      await tx.contact.createMany({ data: contacts.filter((c) => !c.countryIso || !edited.has(c.countryIso)), skipDuplicates: true });
      await tx.slaPolicy.createMany({ data: DEFAULT_SLA_POLICIES.map((p) => ({ ...p })), skipDuplicates: true });
      // Created once: an admin's later edit or deactivation survives a restart.
      await tx.staffOfficer.createMany({ data: STAFF.map((o) => ({ ...o })), skipDuplicates: true });
    },
    { timeout: 60_000 },
  );
  const [countries, groups, contacts, slaPolicies] = await Promise.all([
    prisma.country.count(),
    prisma.countryGroup.count(),
    prisma.contact.count(),
    prisma.slaPolicy.count(),
  ]);
  return { countries, groups, contacts, slaPolicies };
}
