import type { PrismaClient } from '@prisma/client';
import type { Region } from '../../../workflows/common/domain';
import { badRequest, FieldProblem } from '../common/errors';

export interface CountryRef {
  iso: string;
  region: Region;
}

/** Explicit countries, named groups and whole regions, resolved against the directory (400 names the unknown ones). */
export async function resolveCountries(prisma: PrismaClient, spec: { countries?: string[]; groups?: string[]; regions?: string[] }): Promise<CountryRef[]> {
  const problems: FieldProblem[] = [];
  const isos = new Set(spec.countries ?? []);
  if (spec.groups?.length) {
    const groups = await prisma.countryGroup.findMany({ where: { code: { in: spec.groups } }, include: { members: true } });
    for (const code of spec.groups) if (!groups.some((g) => g.code === code)) problems.push({ field: 'groups', problem: `unknown group ${code}` });
    for (const g of groups) for (const m of g.members) isos.add(m.countryIso);
  }
  const rows = await prisma.country.findMany({
    where: { OR: [{ iso: { in: [...isos] } }, ...(spec.regions?.length ? [{ region: { in: spec.regions } }] : [])] },
  });
  const known = new Set(rows.map((r) => r.iso));
  const unknown = (spec.countries ?? []).filter((iso) => !known.has(iso));
  if (unknown.length) problems.push({ field: 'countries', problem: `not member countries: ${unknown.join(', ')}` });
  if (problems.length) throw badRequest(problems);
  return rows.map((r) => ({ iso: r.iso, region: r.region as Region })).sort((a, b) => a.iso.localeCompare(b.iso));
}
