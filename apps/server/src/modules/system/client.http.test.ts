import { ApiError, buildPath, buildQuery, createClient, getVersion, identityApi } from '@opsloom/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../testing/databases.js';
import { startTestApp, TEST_PASSWORD, type TestApp, unique } from '../../testing/test-app.js';

describe('client URL building', () => {
  it('fills path parameters and skips empty query values', () => {
    expect(buildPath('/api/v1/teams/{team}/members/{user}', { team: 'net work', user: 'ana' })).toBe('/api/v1/teams/net%20work/members/ana');
    expect(() => buildPath('/api/v1/teams/{team}', {})).toThrow(/missing path parameter team/);
    expect(() => buildPath('/api/v1/teams/{team}', { team: { slug: 'x' } })).toThrow(/parameter team: cannot put a object in a URL/);
    expect(buildQuery({ limit: 5, cursor: undefined, q: '', all: true })).toBe('?limit=5&all=true');
    expect(buildQuery(undefined)).toBe('');
  });
});

/** The typed client the web app and CLI use, against a real listener. */
describe.each(testDatabaseKinds())('typed client over HTTP on %s', (kind) => {
  let t: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    t = await startTestApp(kind);
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => t?.close());

  it('calls operations with a token and maps errors to ApiError', async () => {
    const admin = createClient({ baseUrl, token: t.tokens.admin });
    expect(await admin.call(getVersion, {})).toEqual({ version: expect.any(String) as string, database: kind });
    const slug = unique('client');
    const team = await admin.call(identityApi.createTeam, { body: { slug, name: 'Client' } });
    expect(team.slug).toBe(slug);
    expect((await admin.call(identityApi.getTeam, { params: { team: slug } })).id).toBe(team.id);
    await expect(admin.call(identityApi.createTeam, { body: { slug, name: 'Again' } })).rejects.toMatchObject({ status: 409, code: 'conflict' });
    const viewer = createClient({ baseUrl, token: t.tokens.viewer });
    const error = await viewer.call(identityApi.deleteTeam, { params: { team: slug } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 403, code: 'forbidden' });
    await admin.call(identityApi.deleteTeam, { params: { team: slug } });
  });

  it('a web-app style session: cookie plus CSRF header on writes', async () => {
    let cookie = '';
    let csrf: string | null = null;
    const cookieFetch: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      if (cookie) headers.set('cookie', cookie);
      const response = await fetch(input, { ...init, headers });
      const set = response.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0];
      return response;
    };
    const client = createClient({ baseUrl, fetch: cookieFetch, csrfToken: () => csrf });
    const session = await client.call(identityApi.login, { body: { email: t.users.operator.email, password: TEST_PASSWORD } });
    csrf = session.csrfToken;
    const token = await client.call(identityApi.createToken, { body: { name: 'from the web app' } });
    expect(token.owner.id).toBe(t.users.operator.id);
    await client.call(identityApi.logout, {});
    await expect(client.call(identityApi.getSession, {})).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
  });
});
