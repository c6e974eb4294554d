import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserHarness, screenshot, startBrowserHarness } from '../../testing/browser-harness';

describe('API tokens', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('creates a token, shows the secret once, and revokes it', async () => {
    const page = await h.signIn('operator');
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('ci-deploy');
    await dialog.getByRole('button', { name: 'Create token' }).click();
    const secretBox = page.getByTestId('token-secret');
    await secretBox.waitFor();
    const secret = (await secretBox.textContent()) ?? '';
    expect(secret.length).toBeGreaterThan(20);
    await page.getByText('This is the only time the token is shown').waitFor();
    await screenshot(page, 'token-created');

    // The secret works as a bearer token against the real server.
    const session = await fetch(`${h.baseUrl}/api/v1/auth/session`, { headers: { authorization: `Bearer ${secret}` } });
    expect(session.status).toBe(200);

    await page.getByRole('button', { name: 'Done' }).click();
    const row = page.getByTestId('token-row').filter({ hasText: 'ci-deploy' });
    await row.waitFor();
    // Only the prefix is listed, never the secret.
    expect(await page.getByText(secret).count()).toBe(0);
    expect(await row.textContent()).toContain(secret.slice(0, 8));
    await screenshot(page, 'tokens');

    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('revoked').waitFor();
    const after = await fetch(`${h.baseUrl}/api/v1/auth/session`, { headers: { authorization: `Bearer ${secret}` } });
    expect(after.status).toBe(401);
  });
});
