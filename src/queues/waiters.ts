import type { Clock } from '../common/index.js';

export type MessageListener = (queue: string) => void;

/**
 * Who is waiting on a queue: long-polling receivers (woken once, then they look again)
 * and pollers' listeners (called on every arrival). A send notifies the queue; nothing
 * here polls.
 */
export class Waiters {
  private readonly once = new Map<string, Set<() => void>>();
  private readonly listeners = new Map<string, Set<MessageListener>>();

  constructor(private readonly clock: Clock) {}

  /** Resolves on the next notify of `queue`, after `ms`, or on abort, whichever comes first. */
  wait(queue: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let set = this.once.get(queue);
      if (!set) this.once.set(queue, (set = new Set()));
      const done = () => {
        timer.cancel();
        signal?.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0 && this.once.get(queue) === set) this.once.delete(queue);
        resolve();
      };
      const timer = this.clock.setTimer(Math.max(0, ms), done);
      signal?.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }

  listen(queue: string, listener: MessageListener): () => void {
    let set = this.listeners.get(queue);
    if (!set) this.listeners.set(queue, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(queue) === set) this.listeners.delete(queue);
    };
  }

  /**
   * Wakes the receivers parked on `queue` — at most `receivers` of them, longest waiting
   * first: one new message needs one receiver, and waking them all would make every
   * parked poller run a transaction for it.
   */
  notify(queue: string, receivers = Infinity): void {
    let woken = 0;
    for (const wake of [...(this.once.get(queue) ?? [])]) {
      if (woken++ >= receivers) break;
      wake();
    }
    for (const listener of [...(this.listeners.get(queue) ?? [])]) {
      try {
        listener(queue);
      } catch (err) {
        console.error(`hearth: queue listener for ${queue} failed:`, err);
      }
    }
  }

  /** How many receivers are parked on `queue` (for tests and status). */
  waiting(queue: string): number {
    return this.once.get(queue)?.size ?? 0;
  }
}
