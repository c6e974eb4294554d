import { type ChildProcess, spawn } from 'node:child_process';

export interface ServeProcess {
  child: ChildProcess;
  /** Where it listens, from its "Server listening at" log line. */
  url: string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

/**
 * Starts the built CLI's `opsloom serve` (`main`: packages/cli/dist/main.js) as a user would,
 * and resolves once it logs where it listens (the environment should set OPSLOOM_LOG_LEVEL
 * to info or lower, HOST and PORT=0). Rejects with its output if it exits or takes 30 s.
 */
export function startServeProcess(main: string, args: string[], env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, 'serve', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    let output = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1], exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
}
