import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../../../server/src/platform/activity/activity-spine.js';
import { type BrowserHarness, screenshot, startBrowserHarness } from '../../../testing/browser-harness';

describe('people and user administration', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
    await h.testApp.services.identity.teams.create(systemActor, { slug: 'database', name: 'Database' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('admin creates a user in a team, who can then sign in', async () => {
    const page = await h.signIn('admin');
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'Create user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create user' });
    await dialog.getByLabel('Name').fill('Grace Chen');
    await dialog.getByLabel('E-mail').fill('grace.chen@test.example');
    await dialog.getByRole('textbox', { name: 'Password' }).fill('a-long-enough-password');
    await dialog.getByRole('combobox', { name: 'Role' }).click();
    await page.getByRole('option', { name: 'Operator' }).click();
    await dialog.getByPlaceholder('Pick teams').click();
    await page.getByRole('option', { name: 'Database' }).click();
    // Clicking another field closes the teams dropdown, which would cover the submit button.
    await dialog.getByLabel('Name').click();
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByTestId('people-table').getByRole('row').filter({ hasText: 'Grace Chen' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Database');
    await screenshot(page, 'users');

    const grace = await h.signIn({ email: 'grace.chen@test.example', password: 'a-long-enough-password' });
    await grace.getByRole('button', { name: 'User menu' }).waitFor();
  });

  it('shows the validation message when the password is too short', async () => {
    const page = await h.signIn('admin');
    await page.goto('/admin/users');
    await page.getByRole('button', { name: 'Create user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create user' });
    await dialog.getByLabel('Name').fill('Short Pw');
    await dialog.getByLabel('E-mail').fill('short@test.example');
    await dialog.getByRole('textbox', { name: 'Password' }).fill('short');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toContain('password');
  });

  it('admin changes a role and disables a user from their page; people search finds them', async () => {
    const page = await h.signIn('admin');
    await page.getByRole('link', { name: 'People' }).click();
    await page.getByLabel('Search people').fill('viewer');
    const table = page.getByTestId('people-table');
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    await table.getByRole('link', { name: 'Test viewer' }).click();
    await page.getByRole('heading', { name: 'Test viewer' }).waitFor();
    await page.getByRole('combobox', { name: 'Role of Test viewer' }).click();
    await page.getByRole('option', { name: 'Operator' }).click();
    await page.getByText('Test viewer is now operator').waitFor();
    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByText('disabled', { exact: true }).waitFor();
    await screenshot(page, 'person');
    const login = await fetch(`${h.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'viewer@test.example', password: 'correct-horse-battery' }),
    });
    expect(login.status).toBe(401);
  });
});
