import type { Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { ActivityBus } from './activity/activity-bus.js';
import type { ActivitySpine } from './activity/activity-spine.js';
import type { DatabaseHandle } from './db/database.js';
import type { CollectAfterBurst } from './garbage-collection.js';
import { inTransaction, type UnitOfWork } from './db/unit-of-work.js';

/** What every module's services are built from. */
export interface ModuleDeps {
  config: Config;
  database: DatabaseHandle;
  spine: ActivitySpine;
  bus: ActivityBus;
  /** This process's Prometheus registry (`/metrics`); modules register their own metrics on it. */
  metrics: Registry;
  /** The process's one after-burst garbage collection (docs/adr/0009): storms and imports report their work to it. */
  collector: CollectAfterBurst;
}

export function transact<T>(deps: ModuleDeps, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  return inTransaction(deps.database.db, deps.database.kind, work);
}
