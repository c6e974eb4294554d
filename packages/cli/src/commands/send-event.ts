import os from 'node:os';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { alertSeverities, ApiError, createClient, eventsApi } from '@opsloom/api';
import { wholeNumber } from '../options.js';

interface SendEventFlags {
  url?: string;
  routingKey?: string;
  source: string;
  ci?: string;
  summary: string;
  severity: (typeof alertSeverities)[number];
  resolve?: boolean;
  fingerprint?: string;
  label: Record<string, string>;
  occurredAt?: string;
  retries: number;
}

const MAX_WAIT_SECONDS = 10;

/**
 * Seconds to wait before trying again, or null when another try would not help: Opsloom busy
 * (429, 503: after its Retry-After) or not reachable (restarting, say). A retried event folds
 * into the alert it would have made, by its fingerprint, if the first try did arrive.
 */
function retryDelaySeconds(error: unknown, attempt: number): number | null {
  if (error instanceof ApiError) return error.status === 429 || error.status === 503 ? Math.min(error.retryAfterSeconds ?? 2 ** attempt, MAX_WAIT_SECONDS) : null;
  // fetch's own failure: no answer at all.
  if (error instanceof TypeError) return Math.min(2 ** attempt, MAX_WAIT_SECONDS);
  return null;
}

const label = (value: string, previous: Record<string, string>) => {
  const at = value.indexOf('=');
  if (at < 1) throw new InvalidArgumentError('expected name=value');
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
};

/**
 * `opsloom send-event`: posts one generic event to `/api/v1/events`, e.g. from a Nagios or
 * Icinga notification command or a cron job. Authenticates with an integration's routing key.
 */
export function registerSendEventCommand(program: Command): void {
  program
    .command('send-event')
    .description('send an alert (or its resolution) to Opsloom as a generic event')
    .option('--url <url>', 'Opsloom server (env OPSLOOM_URL, default http://127.0.0.1:8080)')
    .option('--routing-key <key>', "an integration's routing key (env OPSLOOM_ROUTING_KEY)")
    .option('--source <source>', 'what sends it', os.hostname())
    .option('--ci <key>', 'CI key or host name the alert is about')
    .requiredOption('--summary <text>', 'one line saying what is wrong')
    .addOption(new Option('--severity <severity>', 'severity').choices([...alertSeverities]).default('warning'))
    .option('--resolve', 'the problem is over (status resolved)')
    .option('--fingerprint <key>', 'dedup key; default: a hash of source, CI and summary (send the same to resolve)')
    .option('--label <name=value>', 'a label (repeatable)', label, {})
    .option('--occurred-at <time>', 'event time, ISO 8601 (default: now, on arrival)')
    .option('--retries <n>', `tries again this many times while Opsloom is busy (429, 503; waiting as it says, at most ${MAX_WAIT_SECONDS} s) or unreachable`, wholeNumber(0, 100), 5)
    .action(async (flags: SendEventFlags) => {
      const baseUrl = (flags.url ?? process.env.OPSLOOM_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
      const token = flags.routingKey ?? process.env.OPSLOOM_ROUTING_KEY;
      if (!token) {
        process.stderr.write('opsloom: no routing key: pass --routing-key or set OPSLOOM_ROUTING_KEY (see the integration in Opsloom)\n');
        process.exitCode = 2;
        return;
      }
      const client = createClient({ baseUrl, token });
      const send = () => client.call(eventsApi.ingestEvents, {
        body: {
          source: flags.source,
          summary: flags.summary,
          severity: flags.severity,
          status: flags.resolve ? 'resolved' : 'firing',
          ...(flags.ci ? { ci: flags.ci } : {}),
          ...(flags.fingerprint ? { fingerprint: flags.fingerprint } : {}),
          ...(Object.keys(flags.label).length > 0 ? { labels: flags.label } : {}),
          ...(flags.occurredAt ? { occurredAt: flags.occurredAt } : {}),
        },
      });
      let answer: Awaited<ReturnType<typeof send>>;
      for (let attempt = 0; ; attempt++) {
        try {
          answer = await send();
          break;
        } catch (error) {
          const wait = attempt < flags.retries ? retryDelaySeconds(error, attempt) : null;
          if (wait === null) throw error;
          process.stderr.write(`opsloom: ${(error as Error).message}; trying again in ${wait} s (${attempt + 1} of ${flags.retries})\n`);
          await sleep(wait * 1000);
        }
      }
      process.stdout.write(`accepted ${answer.accepted} event (intake batch ${answer.batch})\n`);
    });
}
