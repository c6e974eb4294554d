import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../testing/databases.js';
import { call, SseReader } from '../../testing/http.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

/** A live stream outlives neither its token nor its user: credentials are re-checked on every heartbeat. */
describe.each(testDatabaseKinds())('live stream credentials on %s', (kind) => {
  let t: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    t = await startTestApp(kind, { streamHeartbeatSeconds: 1 });
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => t?.close());

  async function openStream(token: string): Promise<SseReader> {
    const response = await fetch(`${baseUrl}/api/v1/stream`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    if (!response.body) throw new Error('no body');
    return new SseReader(response.body);
  }

  it('ends the stream of a token once it is revoked, and keeps the others', async () => {
    const created = await call(t, 'POST', '/api/v1/tokens', { as: 'operator', payload: { name: 'short-lived stream' } });
    const { id, token } = created.json<{ id: string; token: string }>();
    const revoked = await openStream(token);
    const kept = await openStream(t.tokens.operator);

    expect((await call(t, 'DELETE', `/api/v1/tokens/${id}`, { as: 'operator' })).status).toBe(204);
    await expect(revoked.until(() => false, 5000)).rejects.toThrow('SSE: stream ended');

    // The other stream is still alive after a heartbeat has passed: it receives the next record.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await call(t, 'POST', '/api/v1/tokens', { as: 'operator', payload: { name: 'after revocation' } });
    const events = await kept.until((all) => all.some((e) => e.event === 'activity' && e.data.includes('after revocation')));
    expect(events.length).toBeGreaterThan(0);
    await kept.cancel();
  });
});
