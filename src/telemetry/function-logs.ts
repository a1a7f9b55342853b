import type { Clock, Timer } from '../common/index.js';
import type { LogRecord, LogStore } from '../store/index.js';

/**
 * Per-function logs. Writes are batched off the invoke path (one transaction per flush)
 * and flushed at least every `flushMs`; reads flush first so a reader sees everything
 * that was appended before it asked.
 */
export class FunctionLogs {
  private pending = new Map<string, LogRecord[]>();
  private timer?: Timer;

  constructor(
    private readonly store: LogStore,
    private readonly clock: Clock,
    private readonly flushMs = 100,
  ) {}

  append(fn: string, text: string): void {
    if (!text) return;
    let list = this.pending.get(fn);
    if (!list) this.pending.set(fn, (list = []));
    list.push({ time: this.clock.now(), text });
    this.timer ??= this.clock.setTimer(this.flushMs, () => this.flush());
  }

  flush(): void {
    this.timer?.cancel();
    this.timer = undefined;
    const batches = this.pending;
    this.pending = new Map();
    for (const [fn, records] of batches) this.store.append(fn, records);
  }

  read(fn: string, options: { since?: number; afterId?: number; limit?: number }) {
    this.flush();
    return this.store.read(fn, options);
  }

  deleteFunction(fn: string): void {
    this.pending.delete(fn);
    this.store.deleteFunction(fn);
  }
}
