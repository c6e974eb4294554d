import type { Role } from '@opsloom/api';
import type { Services } from '../app.js';
import { seedDemoInfrastructure } from '../modules/cmdb/index.js';
import { systemActor } from '../platform/activity/activity-spine.js';
import { seedDemoAlerts } from './seed-demo-alerts.js';

/** Every demo account signs in with this password (shown in the README and on the sign-in page). */
export const DEMO_PASSWORD = 'opsloom-demo';

const teams = [
  { slug: 'network', name: 'Network', description: 'Routers, core and access switches, firewalls, VPN and the WAN between both data centres.' },
  { slug: 'storage', name: 'Storage', description: 'SAN arrays, NAS filers, backup and replication between DC1 and DC2.' },
  { slug: 'servers', name: 'Servers', description: 'Linux and Windows hosts, the virtualisation clusters and the OS patch cycle.' },
  { slug: 'database', name: 'Database', description: 'PostgreSQL and Oracle estates: replication, backups, performance.' },
  { slug: 'messaging', name: 'Messaging', description: 'E-mail (MX, mailbox servers, anti-spam) and the message bus. Escalations: @amir.haddad' },
  { slug: 'service-desk', name: 'Service Desk', description: 'First line for every employee: tickets, walk-ins, major-incident communication.' },
];

const people: Array<{ name: string; email: string; role: Role; teams: string[]; lead?: boolean }> = [
  { name: 'Ana Silva', email: 'ana.silva@example.com', role: 'admin', teams: ['servers'], lead: true },
  { name: 'Ben Okafor', email: 'ben.okafor@example.com', role: 'operator', teams: ['network'], lead: true },
  { name: 'Chloé Martin', email: 'chloe.martin@example.com', role: 'operator', teams: ['network'] },
  { name: 'Dmitri Volkov', email: 'dmitri.volkov@example.com', role: 'operator', teams: ['storage'], lead: true },
  { name: 'Emma Lindqvist', email: 'emma.lindqvist@example.com', role: 'operator', teams: ['storage', 'servers'] },
  { name: 'Farid Nasser', email: 'farid.nasser@example.com', role: 'operator', teams: ['servers'] },
  { name: 'Grace Chen', email: 'grace.chen@example.com', role: 'operator', teams: ['database'], lead: true },
  { name: 'Hiro Tanaka', email: 'hiro.tanaka@example.com', role: 'operator', teams: ['database'] },
  { name: 'Amir Haddad', email: 'amir.haddad@example.com', role: 'operator', teams: ['messaging'], lead: true },
  { name: 'Julia Rossi', email: 'julia.rossi@example.com', role: 'operator', teams: ['messaging', 'service-desk'] },
  { name: 'Kofi Mensah', email: 'kofi.mensah@example.com', role: 'operator', teams: ['service-desk'], lead: true },
  { name: 'Lena Novak', email: 'lena.novak@example.com', role: 'viewer', teams: ['service-desk'] },
  { name: 'Marco Diaz', email: 'marco.diaz@example.com', role: 'requester', teams: [] },
];

/**
 * The demo organisation, created through the services so it has a real activity history.
 * Does nothing when teams already exist, so `serve --demo` is safe to repeat.
 */
export async function seedDemo(services: Services, options: { baseUrl: string; alerts?: boolean } = { baseUrl: 'http://localhost:8080' }): Promise<boolean> {
  const { identity } = services;
  if ((await identity.teams.list()).length > 0) return false;
  for (const team of teams) await identity.teams.create(systemActor, team);
  for (const person of people) {
    await identity.users.create(systemActor, { email: person.email, name: person.name, password: DEMO_PASSWORD, role: person.role, teams: person.teams });
    if (person.lead) await identity.teams.putMember(systemActor, person.teams[0], person.email.split('@')[0], { role: 'lead' });
  }
  // After the teams: the demo infrastructure is owned by them.
  await seedDemoInfrastructure(services.cmdb.importer);
  // After the infrastructure: the alerts name its CIs.
  if (options.alerts !== false) await seedDemoAlerts(services, options.baseUrl);
  return true;
}
