import { type ApiClient, createClient } from '@opsloom/api';

export interface RemoteFlags {
  url?: string;
  token?: string;
}

/** Commands that talk to a running server: `--url`/OPSLOOM_URL and `--token`/OPSLOOM_TOKEN. */
export function remoteOptions<T extends { option(flags: string, description: string): T }>(command: T): T {
  return command
    .option('--url <url>', 'Opsloom server (env OPSLOOM_URL, default http://127.0.0.1:8080)')
    .option('--token <token>', 'API token (env OPSLOOM_TOKEN)');
}

export function remoteClient(flags: RemoteFlags, fetchImpl?: typeof fetch): ApiClient {
  const baseUrl = (flags.url ?? process.env.OPSLOOM_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
  const token = flags.token ?? process.env.OPSLOOM_TOKEN;
  if (!token) throw new Error('no API token: pass --token or set OPSLOOM_TOKEN (create one with `opsloom admin create-token`)');
  return createClient({ baseUrl, token, fetch: fetchImpl });
}
