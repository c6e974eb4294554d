import { randomBytes } from 'node:crypto';
import type { createIntegrationBody, Integration } from '@opsloom/api';
import type { z } from 'zod';
import type { Actor } from '../../platform/activity/activity-spine.js';
import { notFound } from '../../platform/errors.js';
import { newId, now, toIso } from '../../platform/ids.js';
import { type ModuleDeps, transact } from '../../platform/module-deps.js';
import { truncate } from '../../platform/text.js';
import type { IdentityServices } from '../identity/index.js';
import { configSnippet, presentIntegration } from './events.presenter.js';
import { eventsRepo, type IntegrationRow } from './events.repo.js';

type CreateIntegration = z.output<typeof createIntegrationBody>;

export function createIntegrationsService(deps: ModuleDeps, identity: IdentityServices) {
  const db = deps.database.db;

  async function teamRef(teamId: string | null) {
    if (!teamId) return null;
    const row = await identity.teams.find(teamId);
    return row ? { id: row.id, slug: row.slug, name: row.name } : null;
  }

  async function require(id: string): Promise<IntegrationRow> {
    const row = await eventsRepo.findIntegration(db, id);
    if (!row || row.disabled_at !== null) throw notFound('integration', id);
    return row;
  }

  return {
    async create(actor: Actor, input: CreateIntegration, baseUrl: string): Promise<Integration> {
      const team = input.team ? await identity.teams.require(input.team) : null;
      return transact(deps, async (uow) => {
        const at = now();
        const row = await eventsRepo.insertIntegration(uow.trx, {
          // 32 hex characters, the length PagerDuty clients expect of an integration key.
          id: newId(), kind: input.kind, name: input.name, team_id: team?.id ?? null, routing_key: randomBytes(16).toString('hex'),
          event_count: 0, error_count: 0, last_event_at: null, disabled_at: null, created_at: at, updated_at: at,
        });
        const ref = team ? { id: team.id, slug: team.slug, name: team.name } : null;
        await deps.spine.record(uow, actor, {
          verb: 'integration.created', subject: { type: 'integration', id: row.id, label: row.name }, team: ref,
          summary: `created ${row.kind} integration ${row.name}`, data: { kind: row.kind, name: row.name },
        });
        return presentIntegration(row, ref, baseUrl);
      });
    },

    async list(baseUrl: string): Promise<Integration[]> {
      const rows = await eventsRepo.listIntegrations(db);
      return Promise.all(rows.map(async (row) => presentIntegration(row, await teamRef(row.team_id), baseUrl)));
    },

    async get(id: string, baseUrl: string) {
      const row = await require(id);
      const events = await eventsRepo.lastEvents(db, id, 20);
      return {
        ...presentIntegration(row, await teamRef(row.team_id), baseUrl),
        configSnippet: configSnippet(row, baseUrl),
        lastEvents: events.map((e) => ({
          receivedAt: toIso(e.received_at), alertCount: e.alert_count,
          sample: e.sample,
        })),
      };
    },

    async remove(actor: Actor, id: string): Promise<string> {
      // Read before the transaction: `require` and `teamRef` use the pool, and on SQLite the
      // transaction holds the only connection, so reading through the pool inside it hangs forever.
      const row = await require(id);
      const team = await teamRef(row.team_id);
      return transact(deps, async (uow) => {
        await eventsRepo.disableIntegration(uow.trx, id, now());
        await deps.spine.record(uow, actor, {
          verb: 'integration.disabled', subject: { type: 'integration', id, label: row.name }, team,
          summary: `disabled integration ${row.name}; its key no longer works`, data: { kind: row.kind },
        });
        return row.routing_key;
      });
    },

    /** A request from this integration was rejected as invalid: `message` is what it was answered. */
    recordError: (id: string, message: string, at = Date.now()) => eventsRepo.recordError(db, id, truncate(message, 500), at),
  };
}

export type IntegrationsService = ReturnType<typeof createIntegrationsService>;
