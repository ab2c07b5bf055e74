import { Client } from 'pg';
import { migrateAndSeed } from '../../apps/launcher/migrate';
import { createPrismaClient } from '../../prisma/client';
import { COUNTRIES, COUNTRY_GROUPS } from '../../prisma/seed-data/countries';
import { testInfra } from '../setup/test-infra';

describe('database from empty', () => {
  const dbName = `fresh_${Date.now()}`;
  const adminUrl = () => testInfra().ownerDatabaseUrl.replace(/\/[^/]+$/, '/postgres');
  const freshUrl = () => testInfra().ownerDatabaseUrl.replace(/\/[^/]+$/, `/${dbName}`);

  beforeAll(async () => {
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${dbName}"`);
    await admin.end();
  });

  afterAll(async () => {
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  });

  it('applies migrations, seeds twice without duplicates, and has every member country with its region', async () => {
    const first = await migrateAndSeed(freshUrl());
    const second = await migrateAndSeed(freshUrl());
    expect(second).toEqual(first);
    expect(first.countries).toBe(COUNTRIES.length);
    expect(first.slaPolicies).toBe(4);
    expect(first.groups).toBe(COUNTRY_GROUPS.length);
    // Three links per country chain plus one officer per region and the supervisor.
    expect(first.contacts).toBe(COUNTRIES.length * 3 + 4 + 1);

    const prisma = createPrismaClient(freshUrl(), 2);
    try {
      const rows = await prisma.country.findMany();
      const byIso = new Map(rows.map((r) => [r.iso, r.region]));
      for (const c of COUNTRIES) expect(byIso.get(c.iso)).toBe(c.region);
      const asean = await prisma.countryGroupMember.findMany({ where: { groupCode: 'ASEAN' } });
      expect(asean.map((m) => m.countryIso).sort()).toEqual(['BN', 'ID', 'KH', 'LA', 'MM', 'MY', 'PH', 'SG', 'TH', 'VN']);
      const chain = await prisma.contact.findMany({ where: { countryIso: 'PH' }, orderBy: { rank: 'asc' } });
      expect(chain.map((c) => c.role)).toEqual(['primary', 'backup', 'duty_desk']);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('keeps the audit trail append-only at the database level', async () => {
    const client = new Client({ connectionString: freshUrl() });
    await client.connect();
    try {
      await client.query(`INSERT INTO "AuditEvent" ("actorSub","actorRole","action","objectType","objectId") VALUES ('t','admin','test','test','1')`);
      await expect(client.query(`UPDATE "AuditEvent" SET "action" = 'rewritten'`)).rejects.toThrow(/append-only/);
      await expect(client.query(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
      await expect(client.query(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });
});
