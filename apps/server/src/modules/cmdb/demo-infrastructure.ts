import type { ImportCi, ImportRelationship } from '@opsloom/api';
import { systemActor } from '../../platform/activity/activity-spine.js';
import type { Importer } from './import.service.js';

type Rel = [from: string, type: ImportRelationship['type'], to: string];

const ci = (key: string, type: string, name: string, team: string, criticality: number, attributes: Record<string, unknown> = {}, tags: string[] = []): ImportCi => ({
  key, type, name, team, criticality, status: 'live', attributes, tags,
});
const host = (dc: 1 | 2, name: string, ip: string) => ({ hostname: name, fqdn: `${name}.dc${dc}.example.net`, ip, site: `DC${dc}` });

/**
 * The demo organisation's infrastructure: two data centres, a routed core with access
 * switches, SAN arrays, a VMware cluster per site, databases and the business services
 * people use — e-mail, the web portal, VPN and payroll — so the map tells a story.
 */
function demoCmdb(): { cis: ImportCi[]; relationships: ImportRelationship[] } {
  const cis: ImportCi[] = [
    ci('svc:email', 'service', 'E-mail', 'messaging', 1, { sla: '99.9%' }, ['business']),
    ci('svc:web-portal', 'service', 'Employee web portal', 'servers', 2, { url: 'https://portal.example.com' }, ['business']),
    ci('svc:vpn', 'service', 'Remote access VPN', 'network', 1, {}, ['business']),
    ci('svc:payroll', 'service', 'Payroll', 'database', 1, { runs: 'monthly, 25th' }, ['business', 'finance']),
    ci('site:dc1', 'site', 'Data centre 1 (Amsterdam)', 'servers', 1),
    ci('site:dc2', 'site', 'Data centre 2 (Rotterdam)', 'servers', 1),
    ci('app:exchange', 'application', 'Exchange mailbox cluster', 'messaging', 1),
    ci('app:mx-gateway', 'application', 'MX gateway and anti-spam', 'messaging', 1),
    ci('app:portal', 'application', 'Portal web application', 'servers', 2),
    ci('app:payroll', 'application', 'Payroll application', 'database', 1),
    ci('app:vpn-gateway', 'application', 'VPN concentrator software', 'network', 1),
    ci('app:service-desk', 'application', 'Service desk phone and ticket queue', 'service-desk', 2, { queue: 'first-line' }),
    ci('lb:portal', 'load_balancer', 'Portal load balancer', 'network', 2, host(1, 'lb-portal', '10.1.0.20')),
    ci('db:payroll', 'database', 'Payroll database (PostgreSQL)', 'database', 1, host(1, 'pg-payroll-01', '10.1.20.11')),
    ci('db:portal', 'database', 'Portal database (PostgreSQL)', 'database', 2, host(2, 'pg-portal-01', '10.2.20.11')),
    ci('db:mail-archive', 'database', 'Mail archive database (Oracle)', 'database', 3, host(2, 'ora-archive-01', '10.2.20.21')),
  ];
  const rels: Rel[] = [
    ['app:exchange', 'part_of', 'svc:email'], ['app:mx-gateway', 'part_of', 'svc:email'], ['db:mail-archive', 'part_of', 'svc:email'],
    ['svc:web-portal', 'depends_on', 'app:portal'], ['app:portal', 'depends_on', 'lb:portal'], ['app:portal', 'depends_on', 'db:portal'],
    ['svc:vpn', 'depends_on', 'app:vpn-gateway'], ['svc:payroll', 'depends_on', 'app:payroll'], ['app:payroll', 'depends_on', 'db:payroll'],
    ['svc:payroll', 'depends_on', 'svc:vpn'], ['svc:web-portal', 'depends_on', 'svc:email'],
    ['app:service-desk', 'depends_on', 'svc:email'], ['app:service-desk', 'depends_on', 'svc:web-portal'],
  ];
  for (const dc of [1, 2] as const) {
    const site = `site:dc${dc}`;
    const n = (name: string) => `${name}.dc${dc}`;
    cis.push(
      ci(`net:${n('router-01')}`, 'network_device', `Edge router DC${dc}`, 'network', 1, { ...host(dc, `rtr-01`, `10.${dc}.0.1`), model: 'Juniper MX204', firmware: '22.4R3' }),
      ci(`net:${n('core-sw-01')}`, 'network_device', `Core switch DC${dc}`, 'network', 1, { ...host(dc, 'core-sw-01', `10.${dc}.0.2`), model: 'Arista 7280R' }),
      ci(`net:${n('access-sw-01')}`, 'network_device', `Access switch DC${dc} row A`, 'network', 2, host(dc, 'acc-sw-01', `10.${dc}.0.11`)),
      ci(`net:${n('access-sw-02')}`, 'network_device', `Access switch DC${dc} row B`, 'network', 2, host(dc, 'acc-sw-02', `10.${dc}.0.12`)),
      ci(`net:${n('firewall-01')}`, 'network_device', `Firewall DC${dc}`, 'network', 1, host(dc, 'fw-01', `10.${dc}.0.3`)),
      ci(`storage:${n('san-01')}`, 'storage', `SAN array DC${dc}`, 'storage', 1, { ...host(dc, 'san-01', `10.${dc}.30.1`), model: 'NetApp AFF A400', capacityTb: 180 }),
      ci(`storage:${n('backup-01')}`, 'storage', `Backup appliance DC${dc}`, 'storage', 3, host(dc, 'backup-01', `10.${dc}.30.9`)),
      ci(`host:${n('esx-01')}`, 'host', `ESXi host 01 DC${dc}`, 'servers', 1, host(dc, 'esx-01', `10.${dc}.10.1`)),
      ci(`host:${n('esx-02')}`, 'host', `ESXi host 02 DC${dc}`, 'servers', 1, host(dc, 'esx-02', `10.${dc}.10.2`)),
      ci(`vm:${n('mail-01')}`, 'vm', `Mailbox server DC${dc}`, 'messaging', 1, host(dc, `mail-0${dc}`, `10.${dc}.40.11`)),
      ci(`vm:${n('mx-01')}`, 'vm', `MX relay DC${dc}`, 'messaging', 1, host(dc, `mx-0${dc}`, `10.${dc}.40.21`)),
      ci(`vm:${n('portal-web-01')}`, 'vm', `Portal web server DC${dc}`, 'servers', 2, host(dc, `web-0${dc}`, `10.${dc}.50.11`)),
      ci(`host:${n('vpn-01')}`, 'host', `VPN appliance DC${dc}`, 'network', 1, host(dc, `vpn-0${dc}`, `10.${dc}.0.40`)),
    );
    rels.push(
      [`net:${n('router-01')}`, 'part_of', site], [`net:${n('core-sw-01')}`, 'runs_on', `net:${n('router-01')}`],
      [`net:${n('access-sw-01')}`, 'depends_on', `net:${n('core-sw-01')}`], [`net:${n('access-sw-02')}`, 'depends_on', `net:${n('core-sw-01')}`],
      [`net:${n('firewall-01')}`, 'depends_on', `net:${n('router-01')}`], [`storage:${n('san-01')}`, 'depends_on', `net:${n('core-sw-01')}`],
      [`storage:${n('backup-01')}`, 'connects_to', `storage:${n('san-01')}`], [`storage:${n('backup-01')}`, 'depends_on', `net:${n('access-sw-02')}`],
      [`host:${n('esx-01')}`, 'depends_on', `net:${n('access-sw-01')}`], [`host:${n('esx-02')}`, 'depends_on', `net:${n('access-sw-02')}`],
      [`host:${n('esx-01')}`, 'depends_on', `storage:${n('san-01')}`], [`host:${n('esx-02')}`, 'depends_on', `storage:${n('san-01')}`],
      [`host:${n('esx-01')}`, 'part_of', site], [`host:${n('esx-02')}`, 'part_of', site],
      [`vm:${n('mail-01')}`, 'runs_on', `host:${n('esx-01')}`], [`vm:${n('mx-01')}`, 'runs_on', `host:${n('esx-02')}`],
      [`vm:${n('portal-web-01')}`, 'runs_on', `host:${n('esx-02')}`], [`host:${n('vpn-01')}`, 'depends_on', `net:${n('firewall-01')}`],
      [`vm:${n('mail-01')}`, 'part_of', 'app:exchange'], [`vm:${n('mx-01')}`, 'part_of', 'app:mx-gateway'],
      [`vm:${n('portal-web-01')}`, 'part_of', 'app:portal'], [`host:${n('vpn-01')}`, 'part_of', 'app:vpn-gateway'],
    );
  }
  rels.push(
    ['net:core-sw-01.dc1', 'connects_to', 'net:core-sw-01.dc2'], ['storage:san-01.dc1', 'connects_to', 'storage:san-01.dc2'],
    ['lb:portal', 'depends_on', 'net:core-sw-01.dc1'], ['db:payroll', 'runs_on', 'host:esx-01.dc1'], ['db:portal', 'runs_on', 'host:esx-01.dc2'],
    ['db:mail-archive', 'runs_on', 'host:esx-02.dc2'], ['db:payroll', 'depends_on', 'storage:san-01.dc1'],
  );
  return { cis, relationships: rels.map(([from, type, to]) => ({ from, to, type })) };
}

/** Loads the demo infrastructure through the importer, so it has history and an activity record. */
export async function seedDemoInfrastructure(importer: Importer): Promise<void> {
  await importer.run(systemActor, { ...demoCmdb(), unknownReferences: 'reject' });
}
