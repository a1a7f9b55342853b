/**
 * Step Functions' durable records in SQLite: state machines, executions (with the
 * executor's plain-JSON state and the definition they started with) and each
 * execution's append-only history. The host writes an execution's state and the events
 * of that transition in one transaction, so a restart finds them consistent.
 */
import type { SqliteDatabase } from '../store/index.js';
import type { ApiEvent } from './history-shape.js';

export interface MachineRecord {
  arn: string;
  name: string;
  definition: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  createdAt: number;
  updatedAt: number;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  arn: string;
  machineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startedAt: number;
  stoppedAt?: number;
  /** The definition the execution runs: an update of the machine does not change it. */
  definition: string;
  /** The executor's ExecutionState as JSON. */
  state: string;
  /** Events appended so far (the last event's id). */
  events: number;
}

type Row = Record<string, string | number | null>;

export class SfnRecords {
  constructor(readonly db: SqliteDatabase) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS sfn_machines (arn TEXT PRIMARY KEY, name TEXT NOT NULL, definition TEXT NOT NULL, role_arn TEXT NOT NULL,
        type TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS sfn_executions (arn TEXT PRIMARY KEY, machine_arn TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL,
        input TEXT NOT NULL, output TEXT, error TEXT, cause TEXT, started_at INTEGER NOT NULL, stopped_at INTEGER,
        definition TEXT NOT NULL, state TEXT NOT NULL, events INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS sfn_executions_machine ON sfn_executions (machine_arn, started_at);
      CREATE TABLE IF NOT EXISTS sfn_history (execution_arn TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT NOT NULL, PRIMARY KEY (execution_arn, seq));
    `);
  }

  putMachine(m: MachineRecord): void {
    this.db
      .prepare('INSERT OR REPLACE INTO sfn_machines (arn, name, definition, role_arn, type, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(m.arn, m.name, m.definition, m.roleArn, m.type, m.createdAt, m.updatedAt);
  }

  machine(arn: string): MachineRecord | undefined {
    const r = this.db.prepare<[string], Row>('SELECT * FROM sfn_machines WHERE arn = ?').get(arn);
    return r && toMachine(r);
  }

  machines(): MachineRecord[] {
    return this.db.prepare<[], Row>('SELECT * FROM sfn_machines ORDER BY name').all().map(toMachine);
  }

  deleteMachine(arn: string): void {
    this.db.prepare('DELETE FROM sfn_machines WHERE arn = ?').run(arn);
  }

  insertExecution(e: ExecutionRecord): void {
    this.db
      .prepare('INSERT INTO sfn_executions (arn, machine_arn, name, status, input, started_at, definition, state, events) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)')
      .run(e.arn, e.machineArn, e.name, e.status, e.input, e.startedAt, e.definition, e.state);
  }

  execution(arn: string): ExecutionRecord | undefined {
    const r = this.db.prepare<[string], Row>('SELECT * FROM sfn_executions WHERE arn = ?').get(arn);
    return r && toExecution(r);
  }

  executions(machineArn: string, status?: string): ExecutionRecord[] {
    const rows = status
      ? this.db.prepare<[string, string], Row>('SELECT * FROM sfn_executions WHERE machine_arn = ? AND status = ? ORDER BY started_at DESC, arn').all(machineArn, status)
      : this.db.prepare<[string], Row>('SELECT * FROM sfn_executions WHERE machine_arn = ? ORDER BY started_at DESC, arn').all(machineArn);
    return rows.map(toExecution);
  }

  running(): ExecutionRecord[] {
    return this.db.prepare<[], Row>("SELECT * FROM sfn_executions WHERE status = 'RUNNING'").all().map(toExecution);
  }

  /** The new state and status of an execution; call inside the transaction that appends its events. */
  saveExecution(e: ExecutionRecord): void {
    this.db
      .prepare('UPDATE sfn_executions SET status = ?, output = ?, error = ?, cause = ?, stopped_at = ?, state = ?, events = ? WHERE arn = ?')
      .run(e.status, e.output ?? null, e.error ?? null, e.cause ?? null, e.stoppedAt ?? null, e.state, e.events, e.arn);
  }

  append(executionArn: string, events: readonly ApiEvent[]): void {
    const ins = this.db.prepare('INSERT INTO sfn_history (execution_arn, seq, event) VALUES (?, ?, ?)');
    for (const e of events) ins.run(executionArn, e.id, JSON.stringify(e));
  }

  history(executionArn: string, fromSeq: number, limit: number, reverse: boolean): ApiEvent[] {
    const sql = reverse
      ? 'SELECT event FROM sfn_history WHERE execution_arn = ? AND seq <= ? ORDER BY seq DESC LIMIT ?'
      : 'SELECT event FROM sfn_history WHERE execution_arn = ? AND seq >= ? ORDER BY seq LIMIT ?';
    return this.db
      .prepare<[string, number, number], { event: string }>(sql)
      .all(executionArn, fromSeq, limit)
      .map((r) => JSON.parse(r.event) as ApiEvent);
  }

  transaction(fn: () => void): void {
    this.db.transaction(fn)();
  }
}

function toMachine(r: Row): MachineRecord {
  return {
    arn: String(r.arn),
    name: String(r.name),
    definition: String(r.definition),
    roleArn: String(r.role_arn),
    type: r.type === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function toExecution(r: Row): ExecutionRecord {
  const e: ExecutionRecord = {
    arn: String(r.arn),
    machineArn: String(r.machine_arn),
    name: String(r.name),
    status: String(r.status) as ExecutionStatus,
    input: String(r.input),
    startedAt: Number(r.started_at),
    definition: String(r.definition),
    state: String(r.state),
    events: Number(r.events),
  };
  if (r.output !== null) e.output = String(r.output);
  if (r.error !== null) e.error = String(r.error);
  if (r.cause !== null) e.cause = String(r.cause);
  if (r.stopped_at !== null) e.stoppedAt = Number(r.stopped_at);
  return e;
}
