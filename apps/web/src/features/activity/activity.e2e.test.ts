import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../../server/src/platform/activity/activity-spine.js';
import { type BrowserHarness, screenshot, startBrowserHarness } from '../../testing/browser-harness';

describe('activity feed', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('shows a team created in one browser live in another browser, without a reload', async () => {
    const watcher = await h.signIn('operator');
    await watcher.getByTestId('live-status').and(watcher.locator('[data-state="live"]')).waitFor();
    // A marker on the window proves later that the page never reloaded.
    await watcher.evaluate(() => Object.assign(window, { __noReload: true }));

    const admin = await h.signIn('admin');
    await admin.getByRole('link', { name: 'Teams' }).click();
    await admin.getByRole('button', { name: 'Create team' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Create team' });
    await dialog.getByLabel('Name').fill('Live Ops');
    await expect.poll(() => dialog.getByLabel('Slug').inputValue()).toBe('live-ops');
    await dialog.getByRole('button', { name: 'Create team' }).click();
    await admin.getByRole('heading', { name: 'Live Ops' }).waitFor();

    const item = watcher.getByTestId('activity-feed').getByText('created team Live Ops');
    await item.waitFor({ timeout: 10_000 });
    expect(await watcher.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await screenshot(watcher, 'activity-live');
  });

  it('filters by team and loads more with the cursor', async () => {
    for (let i = 0; i < 35; i++) await h.testApp.services.identity.teams.create(systemActor, { slug: `bulk-${i}`, name: `Bulk ${i}` });
    const page = await h.signIn('viewer');
    const items = page.getByTestId('activity-item');
    await expect.poll(() => items.count()).toBe(30);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => items.count()).toBeGreaterThan(30);

    await page.goto('/?team=bulk-3');
    await page.getByText('created team Bulk 3').waitFor();
    expect(await items.count()).toBe(1);
  });

  it('shows only followed teams when "following only" is on', async () => {
    const page = await h.signIn('viewer');
    await page.goto('/teams/bulk-7');
    await page.getByRole('button', { name: 'Follow' }).click();
    await page.getByRole('button', { name: 'Unfollow' }).waitFor();
    await page.getByRole('link', { name: 'Activity' }).click();
    await page.getByText('Following only').click();
    await page.getByText('created team Bulk 7').waitFor();
    await expect.poll(() => page.getByTestId('activity-item').count()).toBe(1);
    expect(page.url()).toContain('following=true');
  });
});

