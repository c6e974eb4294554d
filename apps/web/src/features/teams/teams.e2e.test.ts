import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../../server/src/platform/activity/activity-spine.js';
import { apiRequest } from '../../testing/api-seed';
import { type BrowserHarness, screenshot, startBrowserHarness } from '../../testing/browser-harness';

describe('teams', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
    await h.testApp.services.identity.teams.create(systemActor, { slug: 'network', name: 'Network', description: 'Routers, switches and firewalls.' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('admin edits a team, adds a member, makes them lead and removes them; the team feed updates live', async () => {
    const page = await h.signIn('admin');
    await page.goto('/teams/network');
    await page.getByRole('heading', { name: 'Network' }).waitFor();

    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog');
    await edit.getByLabel('Description').fill('Routers, switches, firewalls and the WAN.');
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Routers, switches, firewalls and the WAN.').first().waitFor();

    await page.getByRole('button', { name: 'Add' }).click();
    const add = page.getByRole('dialog', { name: 'Add member' });
    await add.getByRole('combobox', { name: 'Person' }).click();
    await page.getByRole('option', { name: /Test operator/ }).click();
    await add.getByRole('button', { name: 'Add' }).click();
    const members = page.getByTestId('team-members');
    await members.getByText('Test operator').waitFor();
    await page.getByTestId('activity-feed').getByText('added Test operator to Network as member').waitFor();

    await page.getByRole('combobox', { name: 'Team role of Test operator' }).click();
    await page.getByRole('option', { name: 'Lead' }).click();
    await page.getByTestId('activity-feed').getByText('made Test operator lead of Network').waitFor();
    await screenshot(page, 'team');

    await page.getByRole('button', { name: 'Remove Test operator' }).click();
    await members.getByText('Test operator').waitFor({ state: 'detached' });
  });

  it('anyone can follow a team; non-admins see no admin controls', async () => {
    const page = await h.signIn('viewer');
    await page.getByRole('link', { name: 'Teams' }).click();
    await page.getByTestId('team-card').filter({ hasText: 'Network' }).click();
    await page.getByRole('heading', { name: 'Network' }).waitFor();
    expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Follow' }).click();
    await page.getByRole('button', { name: 'Unfollow' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Unfollow' }).waitFor();
  });

  it('admin deletes a team after being told what it leaves behind; its CIs lose their owner, not their place', async () => {
    await h.testApp.services.identity.teams.create(systemActor, { slug: 'printing', name: 'Printing', description: 'Print servers and queues.' });
    await apiRequest(h, 'POST', '/api/v1/cis', { key: 'host:print-02.dc1', type: 'host', name: 'Print server 02', team: 'printing' }, { role: 'admin' });
    const page = await h.signIn('admin');
    await page.goto('/teams/printing');
    await page.getByRole('heading', { name: 'Printing' }).waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete team Printing?' });
    await confirm.getByText('CIs and integrations it owned are left without an owner team').waitFor();
    await screenshot(page, 'team-delete');
    await confirm.getByRole('button', { name: 'Delete team' }).click();
    await page.getByRole('heading', { name: 'Teams' }).waitFor();
    await page.getByTestId('team-card').filter({ hasText: 'Network' }).waitFor();
    expect(await page.getByTestId('team-card').filter({ hasText: 'Printing' }).count()).toBe(0);
    const ci = await apiRequest<{ team: unknown }>(h, 'GET', `/api/v1/cis/${encodeURIComponent('host:print-02.dc1')}`);
    expect(ci.team).toBeNull();
    await apiRequest(h, 'GET', '/api/v1/teams/printing', undefined, { expect: 404 });
  });

  it('shows the API error when a slug is taken', async () => {
    const page = await h.signIn('admin');
    await page.goto('/teams');
    await page.getByRole('button', { name: 'Create team' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create team' });
    await dialog.getByLabel('Name').fill('Network');
    await dialog.getByRole('button', { name: 'Create team' }).click();
    await dialog.getByRole('alert').waitFor();
    expect((await dialog.getByRole('alert').textContent())?.toLowerCase()).toContain('network');
  });
});
