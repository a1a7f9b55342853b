import { HearthError } from '../common/index.js';

/** Where the ledger reads reserved concurrency (PutFunctionConcurrency). */
export interface Reservations {
  /** The function's reserved concurrency, when it has one (0 stops the function). */
  reservedFor(name: string): number | undefined;
  /** All reservations together: carved out of the account limit for everyone else. */
  totalReserved(): number;
}

const throttle = (reason: string, message: string) => new HearthError('TooManyRequestsException', message, { Reason: reason });

/**
 * The counting service: concurrent executions per function and node-wide. A function
 * with reserved concurrency R runs at most R at once and draws on nobody else's share;
 * the others share what the account limit leaves unreserved.
 */
export class ConcurrencyLedger {
  private readonly byFunction = new Map<string, number>();
  private unreserved = 0;
  private total = 0;

  constructor(
    readonly accountLimit: number,
    private readonly reservations: Reservations,
  ) {}

  /** Counts one execution in, or throws the 429 Lambda gives. Returns the release. */
  enter(name: string): () => void {
    const reserved = this.reservations.reservedFor(name);
    const mine = this.byFunction.get(name) ?? 0;
    if (reserved !== undefined) {
      if (mine >= reserved) {
        throw throttle('ReservedFunctionConcurrentInvocationLimitExceeded', `Rate Exceeded. ${name} has reserved concurrency ${reserved} and all of it is in use.`);
      }
    } else {
      if (this.unreserved >= this.accountLimit - this.reservations.totalReserved()) {
        throw throttle('ConcurrentInvocationLimitExceeded', 'Rate Exceeded.');
      }
      this.unreserved++;
    }
    this.byFunction.set(name, mine + 1);
    this.total++;
    // The reservation may change during the request: give back to the share it came from.
    const fromUnreserved = reserved === undefined;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.byFunction.get(name) ?? 1) - 1;
      if (n === 0) this.byFunction.delete(name);
      else this.byFunction.set(name, n);
      if (fromUnreserved) this.unreserved--;
      this.total--;
    };
  }

  get concurrentExecutions(): number {
    return this.total;
  }

  concurrentExecutionsOf(name: string): number {
    return this.byFunction.get(name) ?? 0;
  }

  /** What the functions without a reservation share (GetAccountSettings' UnreservedConcurrentExecutions). */
  get unreservedLimit(): number {
    return this.accountLimit - this.reservations.totalReserved();
  }
}
