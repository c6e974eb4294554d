import fs from 'node:fs';
import path from 'node:path';
import { backstageToImport } from '@opsloom/api/formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../platform/activity/activity-spine.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { call } from '../../testing/http.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

const root = path.join(import.meta.dirname, 'fixtures/backstage');
const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((file) => file.endsWith('.yaml')).sort();
const read = (file: string) => ({ name: file, text: fs.readFileSync(path.join(root, file), 'utf8') });

describe.each(testDatabaseKinds())('Backstage catalog import on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    for (const slug of ['team-a', 'team-b', 'team-c']) await t.services.identity.teams.create(systemActor, { slug, name: slug });
  });
  afterAll(async () => t?.close());

  it('has all 66 example files', () => {
    expect(files).toHaveLength(66);
  });

  it.each(files)('%s imports, or is refused with a clear message', async (file) => {
    const converted = backstageToImport([read(file)]);
    if (file === 'components/invalid-component.yaml') {
      expect(converted.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
        expect.stringMatching(/^components\/invalid-component\.yaml \(Component "invalid component"\): metadata\.name: must be 1–63 letters/),
        expect.stringMatching(/metadata\.tags: "go 1\.15\.3" is not a valid tag/),
      ]);
      return;
    }
    expect(converted.errors).toEqual([]);
    const answer = await call(t, 'POST', '/api/v1/cmdb/import', {
      as: 'operator', payload: { cis: converted.cis, relationships: converted.relationships, unknownReferences: converted.unknownReferences },
    });
    expect(answer.status, answer.body).toBe(200);
  });

  it('imports the whole catalog at once with owners, systems, domains and API relationships', async () => {
    const converted = backstageToImport(files.filter((file) => !file.includes('invalid')).map(read));
    expect(converted.errors).toEqual([]);
    const answer = await call(t, 'POST', '/api/v1/cmdb/import', { as: 'operator', payload: { cis: converted.cis, relationships: converted.relationships, unknownReferences: 'skip' } });
    expect(answer.status, answer.body).toBe(200);
    const artists = await call(t, 'GET', '/api/v1/cis/resource:default%2Fartists-db', { as: 'viewer' });
    expect(artists.json()).toMatchObject({ type: 'database', team: { slug: 'team-a' } });
    // The system is a business service, and its parts impact it.
    const impact = await call(t, 'GET', '/api/v1/cis/resource:default%2Fartists-db/impact', { as: 'viewer' });
    const services = impact.json<{ services: Array<{ key: string }> }>().services.map((s) => s.key);
    expect(services).toContain('system:default/artist-engagement-portal');
    // A provided API fails with its component; its consumers with it.
    const archive = await call(t, 'GET', '/api/v1/cis/component:default%2Fwayback-archive/impact', { as: 'viewer' });
    expect(archive.json<{ impacted: Array<{ key: string }> }>().impacted.map((i) => i.key)).toContain('api:default/wayback-archive');
    // Groups, users and locations are noted, not imported.
    expect(converted.warnings.some((w) => /group "team-a" skipped/.test(w.message))).toBe(true);
    expect(converted.cis.some((ci) => ci.key.startsWith('user:') || ci.key.startsWith('group:'))).toBe(false);
  });
});
