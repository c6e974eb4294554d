import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Role } from '@opsloom/api';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../../../server/src/testing/test-app.js';

const webDist = path.resolve(import.meta.dirname, '../../dist');
const CHROMIUM = process.env.OPSLOOM_CHROMIUM ?? '/usr/bin/chromium';

export interface BrowserHarness {
  baseUrl: string;
  testApp: TestApp;
  browser: Browser;
  /** A fresh browser context signed in as the given test role (or e-mail and password), on the activity page. */
  signIn(who: Role | { email: string; password: string }, options?: { colorScheme?: 'light' | 'dark' }): Promise<Page>;
  /** A fresh, signed-out page. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** A real server (SQLite, in-process, on 127.0.0.1) serving the built web app, and headless Chromium. */
export async function startBrowserHarness(): Promise<BrowserHarness> {
  if (!fs.existsSync(path.join(webDist, 'index.html'))) throw new Error('apps/web/dist is missing: run `npm run build -w apps/web` first');
  const testApp = await startTestApp('sqlite', { webDir: webDist });
  const address = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const contexts: BrowserContext[] = [];
  // An uncaught error in any page fails the file: a blank page would otherwise only show up as a timeout.
  const pageErrors: string[] = [];

  async function newContext(colorScheme: 'light' | 'dark' = 'light'): Promise<BrowserContext> {
    const context = await browser.newContext({ baseURL: address, viewport: { width: 1360, height: 860 }, colorScheme });
    context.setDefaultTimeout(15_000);
    context.on('weberror', (webError) => pageErrors.push(webError.error().message));
    contexts.push(context);
    return context;
  }

  return {
    baseUrl: address,
    testApp,
    browser,
    async signIn(who, options = {}) {
      const credentials = typeof who === 'string' ? { email: testApp.users[who].email, password: TEST_PASSWORD } : who;
      const context = await newContext(options.colorScheme);
      // Signing in through the API sets the same httpOnly cookie the form would; the form itself has its own test.
      const response = await context.request.post('/api/v1/auth/login', { data: credentials });
      if (!response.ok()) throw new Error(`sign-in failed: ${response.status()} ${await response.text()}`);
      const page = await context.newPage();
      await page.goto('/');
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      return page;
    },
    async newPage() {
      return (await newContext()).newPage();
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await testApp.close();
      if (pageErrors.length > 0) throw new Error(`uncaught errors in the web app:\n${pageErrors.join('\n')}`);
    },
  };
}

/** Where screenshots go: OPSLOOM_SCREENSHOT_DIR (e.g. docs/screenshots), else a temporary folder. */
export function screenshotDir(): string {
  const dir = process.env.OPSLOOM_SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'opsloom-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(screenshotDir(), `${name}.png`);
  // Let notifications and transitions settle so the picture shows the page, not an animation.
  await page.waitForTimeout(400);
  await page.screenshot({ path: file });
  return file;
}
