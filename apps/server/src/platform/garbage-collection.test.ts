import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CollectAfterBurst } from './garbage-collection.js';

describe('CollectAfterBurst', () => {
  const gc = vi.fn();
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('gc', gc);
    gc.mockClear();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('collects once the work has stopped for the quiet period, and only after enough of it', () => {
    const pauses: number[] = [];
    const collector = new CollectAfterBurst(2000, (ms) => pauses.push(ms));
    collector.did(600, 1000);
    collector.idle();
    vi.advanceTimersByTime(5000);
    expect(gc).not.toHaveBeenCalled();

    collector.did(600, 1000);
    collector.idle();
    vi.advanceTimersByTime(1999);
    expect(gc).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(gc).toHaveBeenCalledTimes(1);
    // The flavour that returns the freed pages to the OS.
    expect(gc).toHaveBeenCalledWith({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    expect(pauses).toHaveLength(1);

    // The count starts again after a collection.
    collector.idle();
    vi.advanceTimersByTime(5000);
    expect(gc).toHaveBeenCalledTimes(1);
  });

  it('puts the collection off while work keeps coming', () => {
    const collector = new CollectAfterBurst(2000);
    collector.did(500, 100);
    collector.idle();
    vi.advanceTimersByTime(1500);
    collector.did(10, 100);
    collector.idle();
    vi.advanceTimersByTime(1500);
    expect(gc).not.toHaveBeenCalled();
    vi.advanceTimersByTime(500);
    expect(gc).toHaveBeenCalledTimes(1);
  });

  it('adds up the work of different sources, each in its own units', () => {
    const collector = new CollectAfterBurst(2000);
    collector.did(30_000, 50_000); // alerts
    collector.idle();
    vi.advanceTimersByTime(5000);
    expect(gc).not.toHaveBeenCalled();
    collector.did(25_000, 50_000); // CMDB rows: together more than one burst's worth
    collector.idle();
    vi.advanceTimersByTime(2000);
    expect(gc).toHaveBeenCalledTimes(1);
  });

  it('never collects while a long piece of work runs, and once for a storm and an import ending together', () => {
    const collector = new CollectAfterBurst(2000);
    const importDone = collector.begin();
    collector.did(100_000, 50_000); // the storm ends while the import runs
    collector.idle();
    vi.advanceTimersByTime(10_000);
    expect(gc).not.toHaveBeenCalled();

    importDone(400_000, 50_000);
    importDone(400_000, 50_000); // a second report changes nothing
    collector.idle();
    vi.advanceTimersByTime(2000);
    expect(gc).toHaveBeenCalledTimes(1);
    collector.idle();
    vi.advanceTimersByTime(10_000);
    expect(gc).toHaveBeenCalledTimes(1);
  });

  it('does nothing when node does not expose gc', () => {
    vi.stubGlobal('gc', undefined);
    const collector = new CollectAfterBurst(10);
    collector.did(5, 1);
    collector.idle();
    vi.advanceTimersByTime(100);
    expect(gc).not.toHaveBeenCalled();
  });
});
