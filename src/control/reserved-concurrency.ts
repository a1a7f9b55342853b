import { invalid } from '../common/index.js';
import type { Kv } from '../store/index.js';
import type { FunctionRegistry } from './function-registry.js';

const key = (name: string) => `concurrency/${name}`;

/**
 * Reserved concurrency (PutFunctionConcurrency): a per-function cap that is also a
 * guarantee, carved out of the account limit. Read on every invoke, so kept in memory.
 */
export class ReservedConcurrency {
  private readonly reserved = new Map<string, number>();
  private total = 0;
  /** Provisioned concurrency per function, so a reservation never drops below it. */
  provisionedOf: (name: string) => number = () => 0;

  constructor(
    private readonly kv: Kv,
    private readonly registry: FunctionRegistry,
    readonly accountLimit: number,
  ) {
    for (const e of kv.list<number>({ prefix: 'concurrency/' })) this.remember(e.key.slice('concurrency/'.length), e.value);
    registry.onDelete((name) => {
      kv.delete(key(name));
      this.forget(name);
    });
  }

  /**
   * Lambda keeps at least 100 executions unreserved; on a node whose whole limit is
   * small that would forbid any reservation, so the floor is 10% of the limit there.
   */
  get minimumUnreserved(): number {
    return Math.min(100, Math.floor(this.accountLimit / 10));
  }

  reservedFor(name: string): number | undefined {
    return this.reserved.get(name);
  }

  totalReserved(): number {
    return this.total;
  }

  put(name: string, value: unknown): number {
    this.registry.get(name);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw invalid('ReservedConcurrentExecutions must be a non-negative integer.');
    }
    const others = this.total - (this.reserved.get(name) ?? 0);
    if (this.accountLimit - others - value < this.minimumUnreserved) {
      throw invalid(
        `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${this.minimumUnreserved}].`,
      );
    }
    const provisioned = this.provisionedOf(name);
    if (value < provisioned) {
      throw invalid(`ReservedConcurrentExecutions (${value}) cannot be lower than the function's provisioned concurrency (${provisioned}).`);
    }
    this.kv.put(key(name), value);
    this.forget(name);
    this.remember(name, value);
    return value;
  }

  delete(name: string): void {
    this.registry.get(name);
    this.kv.delete(key(name));
    this.forget(name);
  }

  private remember(name: string, value: number): void {
    this.reserved.set(name, value);
    this.total += value;
  }

  private forget(name: string): void {
    this.total -= this.reserved.get(name) ?? 0;
    this.reserved.delete(name);
  }
}
