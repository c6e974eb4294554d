import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserHarness, screenshot, startBrowserHarness } from '../../testing/browser-harness';

describe('inbox', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('shows a mention from a team description, live in the badge, and marks it read', async () => {
    const operator = await h.signIn('operator');
    const handle = h.testApp.users.operator.handle;

    const admin = await h.signIn('admin');
    await admin.getByRole('link', { name: 'Teams' }).click();
    await admin.getByRole('button', { name: 'Create team' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Create team' });
    await dialog.getByLabel('Name').fill('Messaging');
    await dialog.getByLabel('Description').fill(`Mail and the message bus. Escalations: @${handle}`);
    await dialog.getByRole('button', { name: 'Create team' }).click();
    await admin.getByRole('heading', { name: 'Messaging' }).waitFor();

    // The unread badge updates from the live stream, without a reload.
    const badge = operator.getByTestId('inbox-unread');
    await badge.waitFor({ timeout: 10_000 });
    expect(await badge.textContent()).toBe('1');

    await operator.getByRole('link', { name: 'Inbox' }).click();
    const entry = operator.getByTestId('inbox-entry').filter({ hasText: 'created team Messaging' });
    await entry.waitFor();
    expect(await entry.getAttribute('data-unread')).toBe('true');
    await entry.getByText('mention').waitFor();
    await screenshot(operator, 'inbox');

    await operator.getByRole('button', { name: 'Mark all read' }).click();
    await expect.poll(() => entry.getAttribute('data-unread')).toBe('false');
    await badge.waitFor({ state: 'detached' });
  });
});
