import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserHarness, screenshot, startBrowserHarness } from '../../testing/browser-harness';

describe('audit log', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is visible to an admin, with IP, user agent and via, and filters by verb prefix', async () => {
    const page = await h.signIn('admin');
    await page.getByRole('link', { name: 'Audit log' }).click();
    const table = page.getByTestId('audit-table');
    const signIn = table.getByTestId('audit-row').filter({ hasText: 'session.created' }).first();
    await signIn.waitFor();
    const text = (await signIn.textContent()) ?? '';
    expect(text).toContain('127.0.0.1');
    expect(text).toContain('Chrome');
    expect(text).toContain('session');
    await screenshot(page, 'audit');

    await page.getByRole('combobox', { name: 'Verb filter' }).fill('token.');
    await expect.poll(async () => {
      const verbs = await table.getByTestId('audit-row').locator('code').allTextContents();
      return verbs.length > 0 && verbs.every((verb) => verb.startsWith('token.'));
    }).toBe(true);
  });

  it('is forbidden to a viewer, who sees the server message', async () => {
    const page = await h.signIn('viewer');
    await page.goto('/admin/audit');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/not allowed|forbidden|admin/i);
    expect(await page.getByTestId('audit-table').count()).toBe(0);
  });
});
