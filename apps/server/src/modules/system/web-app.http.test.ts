import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectError } from '../../testing/http.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

/** A raw request line, as a client may send it (fetch would normalise `..` away). */
function rawGet(base: string, target: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

/** Serving the built web app (a stand-in build in a temp dir), on SQLite: no storage involved. */
describe('web app serving', () => {
  let t: TestApp;
  let root: string;
  let baseUrl: string;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloom-web-'));
    const webDir = path.join(root, 'web');
    fs.mkdirSync(path.join(webDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>Opsloom test build</title>');
    fs.writeFileSync(path.join(webDir, 'assets', 'app-1234.js'), 'console.log("app")');
    // A sibling whose name starts with the web dir's: must never be served.
    fs.mkdirSync(path.join(root, 'web-secret'));
    fs.writeFileSync(path.join(root, 'web-secret', 'secret.txt'), 'TOP-SECRET');
    t = await startTestApp('sqlite', { webDir });
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('serves the app at / and at client-side routes, assets as files', async () => {
    for (const url of ['/', '/teams/network', '/people/ana?tab=activity']) {
      const page = await call(t, 'GET', url);
      expect(page.status, url).toBe(200);
      expect(page.body).toContain('Opsloom test build');
      expect(String(page.headers['content-type'])).toMatch(/^text\/html/);
    }
    const asset = await call(t, 'GET', '/assets/app-1234.js');
    expect(asset.status).toBe(200);
    expect(asset.body).toBe('console.log("app")');
  });

  it('unknown API routes stay JSON 404s', async () => {
    expectError(await call(t, 'GET', '/api/v1/nope'), 404, 'not_found');
    expectError(await call(t, 'GET', '/api/nope.js'), 404, 'not_found');
  });

  it('never serves files outside the web directory', async () => {
    for (const target of ['/../web-secret/secret.txt', '/assets/../../web-secret/secret.txt', '/%2e%2e/web-secret/secret.txt', '/../../../../etc/hostname']) {
      const response = await rawGet(baseUrl, target);
      expect(response, target).not.toContain('TOP-SECRET');
      expect(response, target).not.toMatch(/^HTTP\/1\.1 5/);
    }
  });
});
