import { AppError } from '../../platform/errors.js';

/** Unprocessed alerts beyond which intake refuses at once (429 with Retry-After; docs/adr/0005). */
export const DEFAULT_MAX_BACKLOG = 200_000;
/** How long a held batch waits for the pipeline to catch up before it is refused. */
export const DEFAULT_MAX_HOLD_MS = 2000;

/** A batch this process committed to the intake log, until the pipeline has stored its effects. */
interface Unprocessed {
  logId: number;
  alerts: number;
  committedAt: number;
}

interface Held {
  admit: () => void;
  timer: NodeJS.Timeout;
}

export interface AdmissionObserver {
  /** A batch's effects were stored, `seconds` after its commit (the 1 s promise). */
  visible(seconds: number): void;
  /** A batch was held `seconds` before it was admitted, or refused. */
  held(seconds: number): void;
}

/**
 * Admission to the intake log, so that what is accepted is visible in incidents within a
 * second even when alerts arrive faster than the pipeline can correlate them (docs/adr/0005,
 * "Admission"). It follows the batches this process committed until the pipeline reports them
 * stored (`processedThrough`: the pipeline here, or the stored watermark polled where another
 * instance runs it). While the oldest of them has waited longer than `maxLagMs`, new batches are
 * held, in arrival order, until the pipeline catches up; one held `maxHoldMs` is refused as
 * overload, which senders retry. Above `maxBacklog` unprocessed alerts, a batch is refused at
 * once.
 */
export class IntakeAdmission {
  private readonly unprocessed: Unprocessed[] = [];
  /** Index of the oldest entry of `unprocessed` still waiting (entries before it are done). */
  private head = 0;
  private unprocessedAlerts = 0;
  /** Alerts admitted and not yet committed (their log ids are not known yet). */
  private committing = 0;
  private readonly held: Held[] = [];
  /** The last watermark reported: a batch committed at or below it is already processed. */
  private watermark = 0;

  constructor(
    /** OPSLOOM_INTAKE_MAX_LAG_MS; 0: no lag limit, only the backlog's. */
    public maxLagMs: number,
    private readonly observer: AdmissionObserver | null = null,
    public maxBacklog = DEFAULT_MAX_BACKLOG,
    public maxHoldMs = DEFAULT_MAX_HOLD_MS,
  ) {}

  /** Alerts accepted by this process (or being committed) and not yet processed by the pipeline. */
  get backlog(): number {
    return this.unprocessedAlerts + this.committing;
  }

  /** Milliseconds the oldest unprocessed batch this process committed has waited; 0 when none waits. */
  lagMs(now = Date.now()): number {
    const oldest = this.unprocessed[this.head];
    return oldest ? Math.max(0, now - oldest.committedAt) : 0;
  }

  /** True while this process has committed batches the pipeline has not stored yet. */
  get waiting(): boolean {
    return this.head < this.unprocessed.length;
  }

  /**
   * Resolves when a batch of `alerts` may be committed, counting it in the backlog from then
   * on; throws the overload error when the backlog is full or the pipeline does not catch up
   * within `maxHoldMs`.
   */
  async admit(alerts: number): Promise<void> {
    this.requireRoom(alerts);
    if (this.maxLagMs > 0 && (this.held.length > 0 || this.lagMs() > this.maxLagMs)) {
      const heldSince = performance.now();
      try {
        await this.hold();
      } finally {
        this.observer?.held((performance.now() - heldSince) / 1000);
      }
      this.requireRoom(alerts);
    }
    this.committing += alerts;
  }

  /** The admitted batch was committed with this log id (or, with null, was not). */
  committed(alerts: number, logId: number | null): void {
    this.committing -= alerts;
    // The pipeline may have stored the batch before its commit reached here (it polls the log).
    if (logId !== null && logId <= this.watermark) this.observer?.visible(0);
    else if (logId !== null) {
      this.unprocessed.push({ logId, alerts, committedAt: Date.now() });
      this.unprocessedAlerts += alerts;
    }
  }

  /** The pipeline stored the effects of every log row up to `watermark`. */
  processedThrough(watermark: number): void {
    this.watermark = Math.max(this.watermark, watermark);
    const now = Date.now();
    let oldest = this.unprocessed[this.head];
    while (oldest && oldest.logId <= watermark) {
      this.unprocessedAlerts -= oldest.alerts;
      this.observer?.visible(Math.max(0, now - oldest.committedAt) / 1000);
      oldest = this.unprocessed[++this.head];
    }
    // Drop what is done once it is most of the array, so the array stays as long as the wait.
    if (this.head > 1024 && this.head * 2 > this.unprocessed.length) {
      this.unprocessed.splice(0, this.head);
      this.head = 0;
    }
    this.admitHeld();
  }

  private requireRoom(alerts: number): void {
    if (this.backlog + alerts > this.maxBacklog) {
      throw new AppError('rate_limited', `intake backlog is full (${this.backlog} alerts waiting); retry after a second`, { backlog: this.backlog });
    }
  }

  private hold(): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry: Held = {
        admit: resolve,
        timer: setTimeout(() => {
          this.held.splice(this.held.indexOf(entry), 1);
          const lagMs = this.lagMs();
          reject(new AppError('rate_limited', `intake is ${(lagMs / 1000).toFixed(1)} s ahead of the alert pipeline (limit ${this.maxLagMs} ms); retry after a second`, { lagMs, backlog: this.backlog }));
          // Those held behind it may go now if the wait was only theirs to share.
          this.admitHeld();
        }, this.maxHoldMs),
      };
      this.held.push(entry);
    });
  }

  /**
   * Lets held batches go, oldest first, once the pipeline is back within `maxLagMs`. All of them
   * go at once: the lag is that of batches already committed, which only the pipeline moves.
   */
  private admitHeld(): void {
    if (this.held.length === 0 || (this.maxLagMs > 0 && this.lagMs() > this.maxLagMs)) return;
    for (const entry of this.held.splice(0)) {
      clearTimeout(entry.timer);
      entry.admit();
    }
  }
}
