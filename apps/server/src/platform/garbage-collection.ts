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
 * One full garbage collection once a burst of work is over (docs/adr/0009). An alert storm
 * leaves hundreds of MiB of garbage in V8's old generation, which it keeps committed until a
 * full collection it may not run for a long time; collecting once the work has stopped for
 * `quietMs` returns it, without pausing the event loop while the storm is still coming in.
 * Does nothing unless node runs with `--expose-gc` (as `opsloom serve` does).
 */
export class CollectAfterBurst {
  private work = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    /** Units of work (alerts) since the last collection that make it worth one. */
    private readonly threshold: number,
    private readonly quietMs: number,
    private readonly collected: (pauseMs: number) => void = () => undefined,
  ) {}

  /** Work was done: counts towards the next collection, and puts off a pending one. */
  did(amount: number): void {
    this.work += amount;
    this.cancel();
  }

  /** Nothing to do for now: collect if this stays so for `quietMs` after enough work. */
  idle(): void {
    if (this.work < this.threshold || this.timer || typeof globalThis.gc !== 'function') return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const pauseMs = collectAllGarbage();
      this.work = 0;
      if (pauseMs !== null) this.collected(pauseMs);
    }, this.quietMs);
    this.timer.unref();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
