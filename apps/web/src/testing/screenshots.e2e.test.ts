import { afterAll, beforeAll, describe, it } from 'vitest';
import { seedDemo } from '../../../server/src/demo/seed-demo.js';
import { DEMO_PASSWORD } from '../../../server/src/demo/seed-demo.js';
import type { Actor } from '../../../server/src/platform/activity/activity-spine.js';
import { type BrowserHarness, screenshot, startBrowserHarness } from './browser-harness';

/**
 * Every main page against the demo organisation, as pictures for the README
 * (OPSLOOM_SCREENSHOT_DIR=docs/screenshots) and as a smoke test that each page renders.
 */
describe('screenshots with demo data', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
    const { identity } = h.testApp.services;
    await seedDemo(h.testApp.services);
    const people = (await identity.users.list({ limit: 50 })).items;
    const actor = (handle: string): Actor => {
      const person = people.find((p) => p.handle === handle);
      if (!person) throw new Error(`demo person ${handle} is missing`);
      return { id: person.id, name: person.name, handle: person.handle, via: 'session', ip: '10.20.0.14', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/142.0' };
    };
    // A little history, as a working morning would leave it.
    await identity.teams.update(actor('ana.silva'), 'network', { description: 'Routers, core and access switches, firewalls, VPN and the WAN. On-call lead this week: @ben.okafor' });
    await identity.teams.putMember(actor('ana.silva'), 'database', 'hiro.tanaka', { role: 'lead' });
    await identity.teams.putMember(actor('ana.silva'), 'storage', 'farid.nasser', { role: 'member' });
    await identity.teams.create(actor('ana.silva'), { slug: 'security', name: 'Security', description: 'Vulnerability management, firewall policy review, incident forensics. Contact @grace.chen for DB audits.' });
    await identity.teams.putMember(actor('ana.silva'), 'security', 'chloe.martin', { role: 'lead' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('takes a picture of every main page', async () => {
    const signedOut = await h.newPage();
    await signedOut.goto('/');
    await signedOut.getByRole('button', { name: 'Sign in' }).waitFor();
    await screenshot(signedOut, 'sign-in');

    const page = await h.signIn({ email: 'ana.silva@example.com', password: DEMO_PASSWORD });
    await page.getByTestId('live-status').and(page.locator('[data-state="live"]')).waitFor();
    await screenshot(page, 'activity');

    await page.goto('/teams');
    await page.getByTestId('team-card').first().waitFor();
    await screenshot(page, 'teams');

    await page.goto('/teams/network');
    await page.getByTestId('team-members').getByText('Ben Okafor').waitFor();
    await screenshot(page, 'team');

    await page.goto('/people');
    await page.getByTestId('people-table').waitFor();
    await screenshot(page, 'people');

    await page.goto('/people/grace.chen');
    await page.getByRole('heading', { name: 'Grace Chen' }).waitFor();
    await screenshot(page, 'person');

    await page.goto('/tokens');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('alertmanager-prod');
    await page.getByRole('dialog').getByRole('button', { name: 'Create token' }).click();
    await page.getByTestId('token-secret').waitFor();
    await screenshot(page, 'token-created');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByTestId('token-row').first().waitFor();
    await screenshot(page, 'tokens');

    await page.goto('/admin/audit');
    await page.getByTestId('audit-row').first().waitFor();
    await screenshot(page, 'audit');

    await page.goto('/admin/users');
    await page.getByTestId('people-table').waitFor();
    await screenshot(page, 'users');

    await page.goto('/');
    await page.getByTestId('activity-item').first().waitFor();
    await page.keyboard.press('Control+K');
    await page.getByPlaceholder('Search teams, people, pages…').fill('net');
    await page.getByRole('button', { name: /Network/ }).first().waitFor();
    await screenshot(page, 'command-palette');

    const ben = await h.signIn({ email: 'ben.okafor@example.com', password: DEMO_PASSWORD }, { colorScheme: 'dark' });
    await ben.getByRole('button', { name: 'Switch to light theme' }).or(ben.getByRole('button', { name: 'Switch to dark theme' })).click();
    await ben.getByRole('button', { name: 'Switch to light theme' }).waitFor();
    await ben.goto('/inbox');
    await ben.getByTestId('inbox-entry').first().waitFor();
    await screenshot(ben, 'inbox-dark');
    await ben.goto('/');
    await ben.getByTestId('activity-item').first().waitFor();
    await screenshot(ben, 'activity-dark');

    // Narrow screens: the navigation folds behind the burger.
    await ben.setViewportSize({ width: 390, height: 844 });
    await ben.goto('/teams/network');
    await ben.getByTestId('team-members').getByText('Ben Okafor').waitFor();
    await screenshot(ben, 'team-mobile');
    await ben.getByRole('button', { name: 'Toggle navigation' }).click();
    await ben.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teams' }).click();
    await ben.getByRole('heading', { name: 'Teams' }).waitFor();
  });
});
