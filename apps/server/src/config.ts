import path from 'node:path';
import { z } from 'zod';

const MiB = 1024 * 1024;

/**
 * Every setting Opsloom reads, with its environment variable. The README's
 * configuration table is written from this list; keep the two in step.
 */
const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().default('127.0.0.1'),
  dataDir: z.string().default('./data'),
  databaseUrl: z.string().optional(),
  adminToken: z.string().min(16, 'must be at least 16 characters').optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  bodyLimit: z.coerce.number().int().min(1024).default(1 * MiB),
  sessionTtlHours: z.coerce.number().min(1).max(24 * 90).default(24 * 14),
  secureCookies: z.stringbool().default(false),
  sqliteSynchronous: z.enum(['FULL', 'EXTRA', 'NORMAL']).default('FULL'),
  webDir: z.string().optional(),
  publicUrl: z.string().optional(),
  trustProxy: z.stringbool().default(false),
  streamHeartbeatSeconds: z.coerce.number().min(1).max(300).default(20),
  incidentAutoResolve: z.stringbool().default(true),
  correlationWindowMinutes: z.coerce.number().min(1).max(120).default(5),
  intakeLogRetentionDays: z.coerce.number().int().min(0).max(3650).default(7),
  // Resolved alerts go after this long; incidents, their counts and the noise figure stay.
  // 90 days covers a quarter's reviews; 0 keeps every alert (docs/adr/0005, "Alert retention").
  alertRetentionDays: z.coerce.number().int().min(0).max(36500).default(90),
  // A quarter of the 1 s "accepted → visible in incidents" promise: at a storm's start intake
  // takes batches faster than the pipeline stores them until the oldest has waited this long,
  // and those wait longer (with 500 ms some passed 1 s; docs/adr/0005, "Admission").
  intakeMaxLagMs: z.coerce.number().int().min(0).max(600_000).default(250),
});

export type Config = z.infer<typeof configSchema>;

export const environmentVariables: Record<keyof Config, string> = {
  port: 'PORT',
  host: 'HOST',
  dataDir: 'OPSLOOM_DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  adminToken: 'OPSLOOM_ADMIN_TOKEN',
  logLevel: 'OPSLOOM_LOG_LEVEL',
  bodyLimit: 'OPSLOOM_BODY_LIMIT',
  sessionTtlHours: 'OPSLOOM_SESSION_TTL_HOURS',
  secureCookies: 'OPSLOOM_SECURE_COOKIES',
  sqliteSynchronous: 'OPSLOOM_SQLITE_SYNCHRONOUS',
  webDir: 'OPSLOOM_WEB_DIR',
  publicUrl: 'OPSLOOM_PUBLIC_URL',
  trustProxy: 'OPSLOOM_TRUST_PROXY',
  streamHeartbeatSeconds: 'OPSLOOM_STREAM_HEARTBEAT_SECONDS',
  incidentAutoResolve: 'OPSLOOM_INCIDENT_AUTO_RESOLVE',
  correlationWindowMinutes: 'OPSLOOM_CORRELATION_WINDOW_MINUTES',
  intakeLogRetentionDays: 'OPSLOOM_INTAKE_LOG_RETENTION_DAYS',
  alertRetentionDays: 'OPSLOOM_ALERT_RETENTION_DAYS',
  intakeMaxLagMs: 'OPSLOOM_INTAKE_MAX_LAG_MS',
};

export class ConfigError extends Error {}

/** Reads configuration from the environment, with explicit overrides (CLI flags) taking precedence. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Record<keyof Config, unknown>> = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(environmentVariables)) {
    const value = env[variable];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) raw[key] = value;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path[0] as keyof Config;
      return `${environmentVariables[key] ?? String(key)}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const config = parsed.data;
  if (config.databaseUrl && !/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    throw new ConfigError('DATABASE_URL: must start with postgres:// (leave it unset for the embedded SQLite database)');
  }
  return { ...config, dataDir: path.resolve(config.dataDir) };
}
