import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../../../server/src/demo/seed-demo.js';
import { apiRequest } from '../../testing/api-seed';
import { type BrowserHarness, screenshot, startBrowserHarness } from '../../testing/browser-harness';

// The Backstage project's own example descriptors, kept in the repo with their licence (Apache-2.0).
const backstageExamples = path.resolve(import.meta.dirname, '../../../../server/src/modules/cmdb/fixtures/backstage');

describe('cmdb', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
    // The demo organisation: teams and the two-data-centre infrastructure the README shows.
    await seedDemo(h.testApp.services);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('searches and filters CIs and opens one', async () => {
    const page = await h.signIn('viewer');
    await page.getByRole('link', { name: 'CMDB' }).click();
    await page.getByRole('heading', { name: 'Configuration items' }).waitFor();
    const rows = page.getByTestId('ci-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(30);

    await page.getByLabel('Search CIs').fill('mail');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="ci-row"]')].every((row) => /mail/i.test(row.textContent ?? '')) && document.querySelectorAll('[data-testid="ci-row"]').length > 0);
    expect(await rows.filter({ hasText: 'Mailbox server DC1' }).count()).toBe(1);

    await page.getByRole('combobox', { name: 'Type' }).click();
    await page.getByRole('option', { name: 'vm' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="ci-row"]').length === 2);
    expect(page.url()).toContain('type=vm');
    await screenshot(page, 'cmdb-list');
    await rows.filter({ hasText: 'Mailbox server DC1' }).getByRole('link', { name: 'Mailbox server DC1' }).click();
    await page.getByRole('heading', { name: 'Mailbox server DC1' }).waitFor();
  });

  it('shows a CI page: attributes, owner, relationships both ways, services, impact, dependencies, change trail and history', async () => {
    // A change on something the mailbox VM depends on, and one on the VM itself.
    await apiRequest(h, 'PATCH', `/api/v1/cis/${encodeURIComponent('storage:san-01.dc1')}`, { attributes: { hostname: 'san-01', firmware: '9.14.1P3', site: 'DC1' } });
    await apiRequest(h, 'PATCH', `/api/v1/cis/${encodeURIComponent('vm:mail-01.dc1')}`, { criticality: 2 });

    const page = await h.signIn('operator');
    await page.goto(`/cmdb/cis/${encodeURIComponent('vm:mail-01.dc1')}`);
    await page.getByRole('heading', { name: 'Mailbox server DC1' }).waitFor();
    const attributes = page.getByTestId('ci-attributes');
    await attributes.getByText('mail-01.dc1.example.net').waitFor();
    await attributes.getByRole('link', { name: 'Messaging' }).waitFor();
    await page.getByTestId('ci-services').getByText('E-mail').waitFor();
    const relationships = page.getByTestId('ci-relationships');
    await relationships.getByRole('link', { name: 'ESXi host 01 DC1' }).waitFor();
    await relationships.getByRole('link', { name: 'Exchange mailbox cluster' }).waitFor();

    const impact = page.getByTestId('ci-impact');
    await impact.getByRole('link', { name: 'Exchange mailbox cluster' }).waitFor();
    await impact.getByRole('link', { name: 'E-mail' }).first().waitFor();

    await page.getByRole('tab', { name: 'What does this depend on?' }).click();
    const deps = page.getByTestId('ci-dependencies');
    await deps.getByRole('link', { name: 'SAN array DC1' }).waitFor();
    await deps.getByRole('link', { name: 'Core switch DC1' }).waitFor();

    await page.getByRole('tab', { name: 'Recent changes' }).click();
    const trail = page.getByTestId('ci-changes');
    await trail.getByText('9.14.1P3').first().waitFor();
    await trail.getByRole('link', { name: 'SAN array DC1' }).first().waitFor();

    await page.getByRole('tab', { name: 'History' }).click();
    const history = page.getByTestId('ci-history');
    const update = history.getByTestId('history-entry').filter({ hasText: 'criticality' }).first();
    await update.waitFor();
    expect(await update.locator('code').allTextContents()).toEqual(['1', '2']);
    await screenshot(page, 'ci-page-history');
    await page.getByRole('tab', { name: 'What breaks if this fails?' }).click();
    await impact.waitFor();
    await screenshot(page, 'ci-page');
  });

  it('creates, edits, relates and deletes a CI from the UI; viewers get no editing controls', async () => {
    const viewer = await h.signIn('viewer');
    await viewer.goto(`/cmdb/cis/${encodeURIComponent('vm:mail-01.dc1')}`);
    await viewer.getByRole('heading', { name: 'Mailbox server DC1' }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    expect(await viewer.getByTestId('ci-relationships').getByRole('button').count()).toBe(0);
    await viewer.goto('/cmdb');
    await viewer.getByRole('heading', { name: 'Configuration items' }).waitFor();
    expect(await viewer.getByRole('button', { name: 'New CI' }).count()).toBe(0);

    const page = await h.signIn('operator');
    await page.getByRole('link', { name: 'CMDB' }).click();
    await page.getByRole('button', { name: 'New CI' }).click();
    const form = page.getByRole('dialog', { name: 'New configuration item' });
    await form.getByLabel('Name').fill('Print server DC1');
    await form.getByLabel('Key').fill('host:print-01.dc1');
    await form.getByLabel(/^Type/).fill('host');
    await form.getByLabel('Owner team', { exact: true }).click();
    await page.getByRole('option', { name: 'Servers' }).click();
    // Attributes that are not a JSON object are refused in the form, before the server is asked.
    await form.getByLabel('Attributes').fill('["print-01"]');
    await form.getByText('Attributes must be a JSON object').waitFor();
    expect(await form.getByRole('button', { name: 'Create CI' }).isDisabled()).toBe(true);
    await form.getByLabel('Attributes').fill('{"hostname": "print-01", "ip": "10.1.4.20"}');
    await form.getByRole('button', { name: 'Create CI' }).click();
    await page.getByRole('heading', { name: 'Print server DC1', exact: true }).waitFor();
    expect(decodeURIComponent(page.url())).toContain('/cmdb/cis/host:print-01.dc1');
    await page.getByTestId('ci-attributes').getByText('10.1.4.20').waitFor();
    await page.getByTestId('ci-attributes').getByRole('link', { name: 'Servers' }).waitFor();

    // A key that is taken: the server's answer shows in the form, which stays open.
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Print server DC1' });
    await edit.getByLabel('Key').fill('vm:mail-01.dc1');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.getByRole('alert').getByText(/mail-01/).waitFor();
    await edit.getByLabel('Key').fill('host:print-01.dc1');
    await edit.getByLabel('Name').fill('Print server 01 DC1');
    await edit.getByLabel('Criticality', { exact: true }).click();
    await page.getByRole('option', { name: '2 — high' }).click();
    await screenshot(page, 'ci-edit-form');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Print server 01 DC1', exact: true }).waitFor();
    const stored = await apiRequest<{ name: string; criticality: number; attributes: Record<string, unknown> }>(h, 'GET', `/api/v1/cis/${encodeURIComponent('host:print-01.dc1')}`);
    expect(stored).toMatchObject({ name: 'Print server 01 DC1', criticality: 2, attributes: { hostname: 'print-01', ip: '10.1.4.20' } });

    // Relate it: the print server depends on the core switch, which now counts it in its impact.
    const relationships = page.getByTestId('ci-relationships');
    await relationships.getByRole('button', { name: 'Add' }).click();
    const relate = page.getByRole('dialog', { name: 'Relate Print server 01 DC1' });
    await relate.getByLabel('Other CI', { exact: true }).fill('core');
    await page.getByRole('option', { name: /Core switch DC1/ }).click();
    await relate.getByTestId('relationship-sentence').getByText('Print server 01 DC1 depends on net:core-sw-01.dc1').waitFor();
    await relate.getByRole('button', { name: 'Add relationship' }).click();
    await relationships.getByRole('link', { name: 'Core switch DC1' }).waitFor();
    const impact = await apiRequest<{ impacted: Array<{ key: string }> }>(h, 'GET', `/api/v1/cis/${encodeURIComponent('net:core-sw-01.dc1')}/impact`);
    expect(impact.impacted.map((c) => c.key)).toContain('host:print-01.dc1');
    await screenshot(page, 'ci-edit');
    await relationships.getByRole('button', { name: 'Remove: depends on Core switch DC1' }).click();
    // The other direction already said "None." before the removal: wait for the link itself to go.
    await relationships.getByRole('link', { name: 'Core switch DC1' }).waitFor({ state: 'detached' });
    await relationships.getByText('None.').first().waitFor();
    expect(await relationships.getByRole('link', { name: 'Core switch DC1' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete Print server 01 DC1?' }).getByRole('button', { name: 'Delete CI' }).click();
    await page.getByRole('heading', { name: 'Configuration items' }).waitFor();
    await apiRequest(h, 'GET', `/api/v1/cis/${encodeURIComponent('host:print-01.dc1')}`, undefined, { expect: 404 });
  });

  it('lights up the blast radius of the node selected on the service map', async () => {
    const page = await h.signIn('viewer');
    await page.getByRole('link', { name: 'Service map' }).click();
    const map = page.getByTestId('service-map');
    await map.and(page.locator('[data-rendered="true"]')).waitFor();
    expect(Number(await map.getAttribute('data-node-count'))).toBeGreaterThan(40);

    await page.goto(`/map?focus=${encodeURIComponent('storage:san-01.dc1')}&depth=4`);
    await map.and(page.locator('[data-rendered="true"][data-focus-x]')).waitFor();
    const box = await map.boundingBox();
    const x = Number(await map.getAttribute('data-focus-x'));
    const y = Number(await map.getAttribute('data-focus-y'));
    if (!box) throw new Error('map has no box');
    // A real click on the canvas, where the focus node is drawn.
    await page.mouse.click(box.x + x, box.y + y);
    await map.and(page.locator('[data-selected="storage:san-01.dc1"]')).waitFor();
    const highlighted = (await map.getAttribute('data-highlighted'))?.split(' ') ?? [];
    // The SAN takes the ESXi hosts down, their VMs, the apps those VMs are part of, and the services on top.
    expect(highlighted).toEqual(expect.arrayContaining(['host:esx-01.dc1', 'host:esx-02.dc1', 'vm:mail-01.dc1', 'app:exchange', 'svc:email', 'db:payroll', 'svc:payroll']));
    // connects_to propagates nothing; the network below the SAN is not hit.
    expect(highlighted).not.toContain('storage:backup-01.dc1');
    expect(highlighted).not.toContain('net:core-sw-01.dc1');
    const panel = page.getByTestId('blast-radius');
    await panel.getByText(`${highlighted.length} CIs fail with it`).waitFor();
    await page.getByTestId('blast-radius-services').getByText('E-mail').waitFor();
    await page.getByTestId('blast-radius-services').getByText('Payroll').waitFor();
    await screenshot(page, 'service-map');

    await page.locator('label').filter({ hasText: /^Type$/ }).click();
    await page.getByTestId('map-legend').getByText('network device').waitFor();
  });

  it('imports CSV files through the UI and lists the bad rows of a refused file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloom-import-'));
    const cis = path.join(dir, 'cis.csv');
    const rels = path.join(dir, 'relationships.csv');
    fs.writeFileSync(cis, 'key,type,name,team,criticality,status,tags,attributes\nvm:ci-01,vm,CI runner 01,servers,3,live,ci;build,"{""hostname"":""ci-01""}"\nvm:ci-02,vm,CI runner 02,servers,3,live,,\n');
    fs.writeFileSync(rels, 'from,to,type\nvm:ci-01,host:esx-01.dc1,runs_on\nvm:ci-02,host:esx-02.dc1,runs_on\n');
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ cis: [{ key: 'ok:1', type: 'vm', name: 'fine' }, { key: 'bad:1', type: 'vm', name: 'x', team: 'no-such-team' }], relationships: [{ from: 'ok:1', to: 'nowhere:9', type: 'runs_on' }] }));

    const page = await h.signIn('operator');
    await page.goto('/cmdb/import');
    const input = page.locator('input[type="file"]');
    await input.setInputFiles([cis, rels]);
    await page.getByTestId('import-preview').getByText('2 CIs and 2 relationships from 2 files').waitFor();
    await page.getByRole('button', { name: 'Import' }).click();
    const result = page.getByTestId('import-result');
    await result.waitFor();
    expect(await page.getByTestId('import-cis').locator('td').allTextContents()).toEqual(['CIs', '2', '0', '0']);
    expect(await page.getByTestId('import-relationships').locator('td').allTextContents()).toEqual(['Relationships', '2', '0', '0']);
    await screenshot(page, 'cmdb-import');

    // The same files again change nothing.
    await input.setInputFiles([cis, rels]);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByTestId('import-cis').locator('td').nth(3).getByText('2').waitFor();

    await input.setInputFiles([bad]);
    await page.getByRole('button', { name: 'Import' }).click();
    const errors = page.getByTestId('import-error-row');
    await errors.first().waitFor();
    const text = (await errors.allTextContents()).join('\n');
    expect(text).toContain('cis #1');
    expect(text).toContain('no-such-team');
    expect(text).toContain('relationships #0');
    await screenshot(page, 'cmdb-import-errors');
    const after = await apiRequest<{ items: unknown[] }>(h, 'GET', '/api/v1/cis?q=ok:1');
    expect(after.items).toHaveLength(0);
  });

  it('imports Backstage catalog-info descriptors and refuses the invalid one with a clear message', async () => {
    const files = ['systems/audio-playback-system.yaml', 'systems/podcast-system.yaml', 'domains/playback-domain.yaml', 'domains/audio-domain.yaml', 'components/playback-order-component.yaml', 'components/podcast-api-component.yaml', 'resources/artists-db-resource.yaml', 'apis/spotify-api.yaml'].map((f) => path.join(backstageExamples, f));
    const page = await h.signIn('operator');
    await page.goto('/cmdb/import');
    const input = page.locator('input[type="file"]');
    await input.setInputFiles(files);
    await page.getByTestId('import-preview').waitFor();
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByTestId('import-result').waitFor();
    const created = Number(await page.getByTestId('import-cis').locator('td').nth(1).textContent());
    expect(created).toBeGreaterThanOrEqual(7);
    await screenshot(page, 'cmdb-import-backstage');

    await input.setInputFiles([path.join(backstageExamples, 'components/invalid-component.yaml')]);
    const refused = page.getByTestId('import-errors');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('invalid component');
    expect(await page.getByRole('button', { name: 'Import' }).isDisabled()).toBe(true);
  });
});
