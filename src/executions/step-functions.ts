/**
 * Step Functions' operations over Hearth's records, in the API's own terms (ARNs,
 * statuses, error types). The wire (api/sfn) only reads and writes JSON around these.
 */
import { type Clock, type Random, requestId } from '../common/index.js';
import { DefinitionError, type Json, type StateMachine, validate } from '../workflow/index.js';
import { checkExecutionArn, checkName, executionArn, expressExecutionArn, machineNameOf, stateMachineArn } from './arns.js';
import type { DurableHost } from './durable-host.js';
import { SfnError } from './errors.js';
import type { ApiEvent } from './history-shape.js';
import { taskProblems } from './lambda-task.js';
import type { ExecutionRecord, MachineRecord, SfnRecords } from './records.js';
import type { SyncInvoker } from './sync.js';
import { runSync, type SyncResult } from './sync.js';

export interface StepFunctionsOptions {
  records: SfnRecords;
  host: DurableHost;
  sync: SyncInvoker;
  clock: Clock;
  random: Random;
  region: string;
}

export class StepFunctions {
  constructor(private readonly o: StepFunctionsOptions) {}

  /** A definition as text → a validated machine, or InvalidDefinition listing every problem. */
  private compile(text: string): StateMachine {
    let parsed: Json;
    try {
      parsed = JSON.parse(text) as Json;
    } catch (err) {
      throw new SfnError('InvalidDefinition', `Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${(err as Error).message}'`);
    }
    let machine: StateMachine;
    try {
      machine = validate(parsed);
    } catch (err) {
      if (err instanceof DefinitionError) throw new SfnError('InvalidDefinition', `Invalid State Machine Definition: '${err.problems.join(', ')}'`);
      throw err;
    }
    const problems = taskProblems(machine);
    if (problems.length > 0) throw new SfnError('InvalidDefinition', `Invalid State Machine Definition: '${problems.join(', ')}'`);
    return machine;
  }

  createMachine(name: string, definition: string, roleArn: string, type: string): MachineRecord {
    checkName(name, 'state machine');
    if (type !== 'STANDARD' && type !== 'EXPRESS') throw new SfnError('ValidationException', `Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`);
    this.compile(definition);
    const arn = stateMachineArn(this.o.region, name);
    const existing = this.o.records.machine(arn);
    if (existing) {
      // Step Functions answers an identical create with the existing machine.
      if (existing.definition === definition && existing.roleArn === roleArn && existing.type === type) return existing;
      throw new SfnError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const now = this.o.clock.now();
    const m: MachineRecord = { arn, name, definition, roleArn, type, createdAt: now, updatedAt: now };
    this.o.records.putMachine(m);
    return m;
  }

  machine(arn: string): MachineRecord {
    machineNameOf(arn);
    const m = this.o.records.machine(arn);
    if (!m) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return m;
  }

  updateMachine(arn: string, definition?: string, roleArn?: string): number {
    const m = this.machine(arn);
    if (definition === undefined && roleArn === undefined) throw new SfnError('ValidationException', 'Either the definition or the roleArn must be specified');
    if (definition !== undefined) this.compile(definition);
    const now = this.o.clock.now();
    this.o.records.putMachine({ ...m, definition: definition ?? m.definition, roleArn: roleArn ?? m.roleArn, updatedAt: now });
    return now;
  }

  deleteMachine(arn: string): void {
    machineNameOf(arn);
    // Running executions go on with the definition they started with, as in Step Functions.
    this.o.records.deleteMachine(arn);
  }

  machines(): MachineRecord[] {
    return this.o.records.machines();
  }

  startExecution(machineArn: string, name: string | undefined, input: string | undefined): ExecutionRecord {
    const m = this.machine(machineArn);
    const execName = name ?? requestId();
    checkName(execName, 'execution');
    const text = input ?? '{}';
    const parsed = parseInput(text);
    const arn = executionArn(this.o.region, m.name, execName);
    const existing = this.o.records.execution(arn);
    if (existing) {
      // Idempotent only while the same request is still running, as Step Functions does.
      if (existing.status === 'RUNNING' && existing.input === text) return existing;
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const machine = this.compile(m.definition);
    this.o.host.begin({ arn, machineArn, name: execName, input: text, startedAt: this.o.clock.now(), definition: m.definition }, machine, parsed);
    return this.execution(arn);
  }

  async startSync(machineArn: string, name: string | undefined, input: string | undefined): Promise<SyncResult & { arn: string; name: string; input: string }> {
    const m = this.machine(machineArn);
    if (m.type !== 'EXPRESS') throw new SfnError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
    const execName = name ?? requestId();
    checkName(execName, 'execution');
    const text = input ?? '{}';
    const parsed = parseInput(text);
    const arn = expressExecutionArn(this.o.region, m.name, execName, requestId());
    const result = await runSync(this.compile(m.definition), parsed, { arn, machineArn, machineName: m.name, name: execName }, this.o.sync, this.o.clock, this.o.random);
    return { ...result, arn, name: execName, input: text };
  }

  execution(arn: string): ExecutionRecord {
    checkExecutionArn(arn);
    const e = this.o.records.execution(arn);
    if (!e) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return e;
  }

  stopExecution(arn: string, error?: string, cause?: string): number {
    const e = this.execution(arn);
    if (e.status !== 'RUNNING') return e.stoppedAt ?? this.o.clock.now();
    return this.o.host.abort(arn, error, cause);
  }

  executions(machineArn: string, status?: string): ExecutionRecord[] {
    this.machine(machineArn);
    return this.o.records.executions(machineArn, status);
  }

  history(arn: string, from: number, limit: number, reverse: boolean): ApiEvent[] {
    const e = this.execution(arn);
    return this.o.records.history(arn, reverse ? (from > 0 ? from : e.events) : from, limit, reverse);
  }
}

function parseInput(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new SfnError('InvalidExecutionInput', `Invalid State Machine Execution Input: 'Invalid JSON: ${text.slice(0, 100)}'`);
  }
}


