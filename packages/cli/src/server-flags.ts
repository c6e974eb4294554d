/**
 * The node flags `opsloom serve` runs with (docs/adr/0009):
 * - V8 sizes the young generation from the machine's memory: on a server with tens of
 *   gigabytes, Node 24 lets it grow to about 130 MiB, and once a start-up load or an alert
 *   storm has grown it, it stays that size. 8 MiB semi-spaces keep that much memory free, at
 *   no cost in speed.
 * - `--expose-gc` lets the server hand garbage back to the OS after its start-up loads and after
 *   alert storms (platform/garbage-collection.ts).
 */
const SERVER_SEMI_SPACE_MB = 8;
export const SERVER_NODE_FLAGS = [`--max-semi-space-size=${SERVER_SEMI_SPACE_MB}`, '--expose-gc'];
/** Set on the restarted process: whatever its flags look like, it never restarts again. */
const RESTARTED = 'OPSLOOM_SERVER_FLAGS_APPLIED';

/** `--max_semi_space_size=4` and `--max-semi-space-size=4` name the same V8 flag; `--no-expose-gc` chooses `--expose-gc` too. */
const flagName = (flag: string) => flag.split('=')[0].replace(/_/g, '-').replace(/^--no-/, '--');

/**
 * Restarts this process in place (same pid, `execve`) with the server's node flags, keeping
 * any the operator chose (`NODE_OPTIONS` or node's own arguments win). V8 reads these only
 * when it starts, so setting them later would do nothing. Returns only when it did not
 * restart: nothing was missing, or the platform cannot (Windows, Node < 23.11).
 */
export function relaunchWithServerFlags(): void {
  if (process.env[RESTARTED] || typeof process.execve !== 'function') return;
  const chosen = new Set([...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].map(flagName));
  const missing = SERVER_NODE_FLAGS.filter((flag) => !chosen.has(flagName(flag)));
  if (missing.length === 0) return;
  try {
    process.execve(process.execPath, [process.execPath, ...missing, ...process.execArgv, ...process.argv.slice(1)], { ...process.env, [RESTARTED]: '1' });
  } catch {
    // Not allowed here (a platform without execve): serve with node's defaults.
  }
}
