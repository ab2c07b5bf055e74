import { operationAccess } from './operation-access';

describe('operationAccess', () => {
  const op = { lead: 'dco.eurasia', countries: [{ iso: 'PH', region: 'EURASIA' }, { iso: 'BR', region: 'AMERICAS' }] };
  const euOnly = { lead: 'dco.eurasia', countries: [{ iso: 'PH', region: 'EURASIA' }] };

  it.each([
    ['supervisor', { sub: 's', role: 'supervisor' as const }, op, 'steer'],
    ['global coordinator', { sub: 'g', role: 'coordinator' as const }, euOnly, 'steer'],
    ['lead', { sub: 'dco.eurasia', role: 'coordinator' as const, region: 'EURASIA' as const }, euOnly, 'steer'],
    ['regional coordinator of a participating region', { sub: 'dco.americas', role: 'coordinator' as const, region: 'AMERICAS' as const }, op, 'read'],
    ['another coordinator of the lead region', { sub: 'dco2', role: 'coordinator' as const, region: 'EURASIA' as const }, euOnly, 'read'],
    ['regional coordinator of an untouched region', { sub: 'dco.americas', role: 'coordinator' as const, region: 'AMERICAS' as const }, euOnly, 'none'],
    ['member of a participating country', { sub: 'm', role: 'member' as const, country: 'BR' }, op, 'read'],
    ['member of another country', { sub: 'm', role: 'member' as const, country: 'BR' }, euOnly, 'none'],
    ['analyst', { sub: 'a', role: 'analyst' as const }, op, 'none'],
    ['admin', { sub: 'a', role: 'admin' as const }, op, 'none'],
  ])('%s: %#', (_name, user, operation, expected) => {
    expect(operationAccess(user, operation)).toBe(expected);
  });
});
