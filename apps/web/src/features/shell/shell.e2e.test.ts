import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../../server/src/platform/activity/activity-spine.js';
import { type BrowserHarness, screenshot, startBrowserHarness } from '../../testing/browser-harness';

describe('app shell', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
    await h.testApp.services.identity.teams.create(systemActor, { slug: 'storage', name: 'Storage', description: 'SAN arrays and backups' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('command palette (Ctrl+K) finds a team and navigates to it', async () => {
    const page = await h.signIn('operator');
    await page.keyboard.press('Control+K');
    const search = page.getByPlaceholder('Search teams, people, pages…');
    await search.waitFor();
    await search.fill('stor');
    const result = page.getByRole('button', { name: /Storage/ }).first();
    await result.waitFor();
    await screenshot(page, 'command-palette');
    await result.click();
    await page.getByRole('heading', { name: 'Storage' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/teams/storage');
  });

  it('the header button opens the palette too, and pages are listed', async () => {
    const page = await h.signIn('viewer');
    await page.getByRole('button', { name: 'Open command palette' }).click();
    await page.getByPlaceholder('Search teams, people, pages…').fill('tokens');
    await page.getByRole('button', { name: /API tokens/ }).click();
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
  });

  it('theme toggle switches to dark and the choice survives a reload', async () => {
    const page = await h.signIn('viewer');
    const scheme = () => page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'));
    expect(await scheme()).toBe('light');
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    expect(await scheme()).toBe('dark');
    await page.reload();
    await page.getByRole('button', { name: 'Switch to light theme' }).waitFor();
    expect(await scheme()).toBe('dark');
    await screenshot(page, 'dark-theme');
  });

  it('navigation shows only what the role may use', async () => {
    const page = await h.signIn('viewer');
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const name of ['Activity', 'Inbox', 'Teams', 'People', 'API tokens']) await nav.getByRole('link', { name }).waitFor();
    expect(await nav.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Users' }).count()).toBe(0);
  });

  it('keeps the teams list current across a dropped live stream', async () => {
    const page = await h.signIn('viewer');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teams' }).click();
    await page.getByText('SAN arrays and backups').waitFor();
    // The stream drops and stays down while a team is created: no live record announces it.
    await page.route('**/api/v1/stream**', (route) => route.abort());
    h.testApp.app.server.closeAllConnections();
    await h.testApp.services.identity.teams.create(systemActor, { slug: 'backup', name: 'Backup', description: 'Tape libraries and restores' });
    await page.unroute('**/api/v1/stream**');
    await page.getByText('Tape libraries and restores').waitFor({ timeout: 20_000 });
  });
});
