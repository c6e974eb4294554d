/**
 * Where a server allocates: V8's sampling heap profiler over the inspector protocol, keeping
 * the samples of objects already collected (a storm's garbage is what costs collection time;
 * `--heap-prof` keeps only what is still alive at the end). The server must run with
 * `--inspect=127.0.0.1:<port>`.
 */

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

export interface AllocationSample {
  /** Bytes allocated while sampling (an estimate: one sample per `intervalBytes` on average). */
  bytes: number;
  /** Allocation sites (function, file:line) by bytes, largest first. */
  sites: Array<{ site: string; bytes: number }>;
}

/** Connects to the inspector on `port` and starts sampling; `stop()` ends it and sums the samples by site. */
export async function sampleAllocations(port: number, intervalBytes = 16_384): Promise<{ stop: () => Promise<AllocationSample> }> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
  const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  let lastId = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      const id = ++lastId;
      waiting.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  await call('HeapProfiler.enable');
  await call('HeapProfiler.startSampling', { samplingInterval: intervalBytes, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return {
    async stop() {
      const { profile } = (await call('HeapProfiler.stopSampling')) as { profile: { head: SamplingNode } };
      socket.close();
      const bySite = new Map<string, number>();
      let bytes = 0;
      const pending = [profile.head];
      while (pending.length > 0) {
        const node = pending.pop() as SamplingNode;
        const { functionName, url, lineNumber } = node.callFrame;
        const site = `${functionName || '(anonymous)'} ${url ? `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : '(builtin or generated)'}`;
        bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
        bytes += node.selfSize;
        pending.push(...node.children);
      }
      return { bytes, sites: [...bySite].map(([site, size]) => ({ site, bytes: size })).sort((a, b) => b.bytes - a.bytes) };
    },
  };
}
