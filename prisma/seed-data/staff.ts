// The staff directory as first seeded: investigative-support officers and regional Digital Crime
// Officers (assignable, paged by escalations) and the head of unit. Admins edit it through the API.
export const STAFF = [
  { id: 'OF-HQ-LYON', name: 'Investigative Support Desk, Lyon', email: 'officer.lyon@cyberops.test', role: 'coordinator', region: null },
  { id: 'OF-EURASIA-MANILA', name: 'Investigative Support Officer, Manila', email: 'officer.manila@cyberops.test', role: 'coordinator', region: 'EURASIA' },
  { id: 'OF-AMERICAS-BRASILIA', name: 'Investigative Support Officer, Brasília', email: 'officer.brasilia@cyberops.test', role: 'coordinator', region: 'AMERICAS' },
  { id: 'OF-AFRICA-NAIROBI', name: 'Investigative Support Officer, Nairobi', email: 'officer.nairobi@cyberops.test', role: 'coordinator', region: 'AFRICA' },
  { id: 'OF-MENA-AMMAN', name: 'Investigative Support Officer, Amman', email: 'officer.amman@cyberops.test', role: 'coordinator', region: 'MENA' },
  ...['AFRICA', 'AMERICAS', 'EURASIA', 'MENA'].map((region) => ({
    id: `OF-${region}-DCO`,
    name: `Digital Crime Officer ${region}`,
    email: `dco-${region.toLowerCase()}@cyberops.test`,
    role: 'coordinator',
    region,
  })),
  { id: 'OF-HQ-HEAD', name: 'Head of Unit, Cybercrime Directorate', email: 'supervisor@cyberops.test', role: 'supervisor', region: null },
] as const;
