import { cmdbApi, type ImpactResult } from '@opsloom/api';
import type { Command } from 'commander';
import { type RemoteFlags, remoteClient, remoteOptions } from './remote.js';

function print(result: ImpactResult, heading: string): void {
  const { ci, impacted, services } = result;
  process.stdout.write(`${heading} ${ci.key} (${ci.type}, ${ci.name}): ${impacted.length} CI${impacted.length === 1 ? '' : 's'}\n`);
  if (impacted.length > 0) {
    const width = Math.max(3, ...impacted.map((item) => item.key.length));
    process.stdout.write(`  hops  ${'key'.padEnd(width)}  type              name\n`);
    for (const item of impacted) process.stdout.write(`  ${String(item.distance).padStart(4)}  ${item.key.padEnd(width)}  ${item.type.padEnd(16)}  ${item.name}\n`);
  }
  process.stdout.write(services.length > 0 ? `business services: ${services.map((s) => `${s.name} (${s.key})`).join(', ')}\n` : 'business services: none\n');
}

/** `opsloom impact KEY` ("what breaks if this fails?") and `opsloom dependencies KEY` ("what does this depend on?"). */
export function registerGraphCommands(program: Command): void {
  for (const [name, operation, heading, description] of [
    ['impact', cmdbApi.getCiImpact, 'impacted when this fails:', 'what breaks if this CI fails: every impacted CI and the business services hit'],
    ['dependencies', cmdbApi.getCiDependencies, 'this depends on:', 'what this CI depends on: every CI whose failure impacts it'],
  ] as const) {
    remoteOptions(program.command(name).description(description).argument('<ci>', 'CI key or id'))
      .option('--json', 'print the API answer as JSON')
      .action(async (ci: string, flags: RemoteFlags & { json?: boolean }) => {
        const result = await remoteClient(flags).call(operation, { params: { ci } });
        if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else print(result, heading);
      });
  }
}
