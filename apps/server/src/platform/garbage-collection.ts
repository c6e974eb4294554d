/**
 * A full collection that also hands the freed pages back to the OS (V8's "last resort"
 * flavour: a plain `gc()` frees the objects but keeps the pages, so resident memory stays where
 * it was). Only when node runs with `--expose-gc`, as `opsloom serve` does; returns how long
 * the event loop paused, or null when it could not collect.
 */
export function collectAllGarbage(): number | null {
  const gc = globalThis.gc;
  if (typeof gc !== 'function') return null;
  const started = performance.now();
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  return performance.now() - started;
}

/**
 * One full garbage collection once a burst of work is over, for the whole process
 * (docs/adr/0009). An alert storm or a large CMDB import leaves hundreds of MiB of garbage in
 * V8's old generation, which it keeps committed until a full collection it may not run for a
 * long time; collecting once all work has stopped for `quietMs` returns it, without pausing
 * the event loop while a storm is still coming in or an import is still running. One
 * instance per process (`ModuleDeps.collector`), so a storm and an import that end together
 * cost one pause, not one each. Does nothing unless node runs with `--expose-gc` (as
 * `opsloom serve` does).
 */
export class CollectAfterBurst {
  /** Bursts done since the last collection, each source's work divided by what makes it worth one. */
  private bursts = 0;
  private busy = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly quietMs: number,
    private readonly collected: (pauseMs: number) => void = () => undefined,
  ) {}

  /**
   * `amount` units of work were done, of which `worthCollecting` make a collection worth its
   * pause (50,000 alerts, say); counts towards the next collection and puts off a pending one.
   */
  did(amount: number, worthCollecting: number): void {
    this.bursts += amount / worthCollecting;
    this.cancel();
  }

  /** A long piece of work starts: no collection until the returned function reports it done. */
  begin(): (amount: number, worthCollecting: number) => void {
    this.busy++;
    this.cancel();
    let ended = false;
    return (amount, worthCollecting) => {
      if (ended) return;
      ended = true;
      this.busy--;
      this.did(amount, worthCollecting);
      this.idle();
    };
  }

  /** A source has nothing to do for now: collect if all stay so for `quietMs` after enough work. */
  idle(): void {
    if (this.bursts < 1 || this.busy > 0 || this.timer || typeof globalThis.gc !== 'function') return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const pauseMs = collectAllGarbage();
      this.bursts = 0;
      if (pauseMs !== null) this.collected(pauseMs);
    }, this.quietMs);
    this.timer.unref();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
