/** Step Functions' operations: request members in, response members out, as the API names them. */
import { type ExecutionRecord, type MachineRecord, SfnError, type StepFunctions } from '../../executions/index.js';
import { type Input, page, seconds, str } from './protocol.js';

export type Operation = (input: Input, sfn: StepFunctions) => unknown;

const describeMachine = (m: MachineRecord) => ({
  stateMachineArn: m.arn,
  name: m.name,
  status: 'ACTIVE',
  definition: m.definition,
  roleArn: m.roleArn,
  type: m.type,
  creationDate: seconds(m.createdAt),
  loggingConfiguration: { level: 'OFF', includeExecutionData: false },
});

const summary = (e: ExecutionRecord) => ({
  executionArn: e.arn,
  stateMachineArn: e.machineArn,
  name: e.name,
  status: e.status,
  startDate: seconds(e.startedAt),
  ...(e.stoppedAt !== undefined ? { stopDate: seconds(e.stoppedAt) } : {}),
});

/** Settings that change nothing when left at their defaults. */
const NEUTRAL: Record<string, (v: unknown) => boolean> = {
  loggingConfiguration: (v) => (v as { level?: string }).level === undefined || (v as { level?: string }).level === 'OFF',
  tracingConfiguration: (v) => (v as { enabled?: boolean }).enabled !== true,
  publish: (v) => v === false,
  tags: (v) => Array.isArray(v) && v.length === 0,
};

/** Members Hearth does not act on are refused, not ignored. */
function refuseMembers(input: Input, names: string[]): void {
  for (const n of names) {
    const v = input[n];
    if (v === undefined || v === null || NEUTRAL[n]?.(v)) continue;
    throw new SfnError('ValidationException', `Hearth does not implement ${n}; leave it out (or at its default).`);
  }
}

export const OPERATIONS: Record<string, Operation> = {
  CreateStateMachine(input, sfn) {
    refuseMembers(input, ['loggingConfiguration', 'tracingConfiguration', 'publish', 'versionDescription', 'encryptionConfiguration', 'tags']);
    const m = sfn.createMachine(str(input, 'name'), str(input, 'definition'), str(input, 'roleArn'), str(input, 'type', true) ?? 'STANDARD');
    return { stateMachineArn: m.arn, creationDate: seconds(m.createdAt) };
  },
  DescribeStateMachine: (input, sfn) => describeMachine(sfn.machine(str(input, 'stateMachineArn'))),
  UpdateStateMachine(input, sfn) {
    refuseMembers(input, ['loggingConfiguration', 'tracingConfiguration', 'publish', 'versionDescription', 'encryptionConfiguration']);
    return { updateDate: seconds(sfn.updateMachine(str(input, 'stateMachineArn'), str(input, 'definition', true), str(input, 'roleArn', true))) };
  },
  DeleteStateMachine(input, sfn) {
    sfn.deleteMachine(str(input, 'stateMachineArn'));
    return {};
  },
  ListStateMachines(input, sfn) {
    const { items, nextToken } = page(input, sfn.machines());
    return { stateMachines: items.map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.type, creationDate: seconds(m.createdAt) })), ...(nextToken ? { nextToken } : {}) };
  },
  StartExecution(input, sfn) {
    refuseMembers(input, ['traceHeader']);
    const e = sfn.startExecution(str(input, 'stateMachineArn'), str(input, 'name', true), str(input, 'input', true));
    return { executionArn: e.arn, startDate: seconds(e.startedAt) };
  },
  async StartSyncExecution(input, sfn) {
    refuseMembers(input, ['traceHeader']);
    const machineArn = str(input, 'stateMachineArn');
    const r = await sfn.startSync(machineArn, str(input, 'name', true), str(input, 'input', true));
    return {
      executionArn: r.arn,
      stateMachineArn: machineArn,
      name: r.name,
      startDate: seconds(r.startedAt),
      stopDate: seconds(r.stoppedAt),
      status: r.status,
      input: r.input,
      inputDetails: { included: true },
      ...(r.output !== undefined ? { output: JSON.stringify(r.output), outputDetails: { included: true } } : {}),
      ...(r.failure ? { error: r.failure.error, cause: r.failure.cause } : {}),
      billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil((r.stoppedAt - r.startedAt) / 100) * 100) },
    };
  },
  DescribeExecution(input, sfn) {
    const e = sfn.execution(str(input, 'executionArn'));
    return {
      ...summary(e),
      input: e.input,
      inputDetails: { included: true },
      ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
      ...(e.error !== undefined ? { error: e.error } : {}),
      ...(e.cause !== undefined ? { cause: e.cause } : {}),
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
    };
  },
  StopExecution: (input, sfn) => ({ stopDate: seconds(sfn.stopExecution(str(input, 'executionArn'), str(input, 'error', true), str(input, 'cause', true))) }),
  ListExecutions(input, sfn) {
    refuseMembers(input, ['mapRunArn', 'redriveFilter']);
    const { items, nextToken } = page(input, sfn.executions(str(input, 'stateMachineArn'), str(input, 'statusFilter', true)));
    return { executions: items.map(summary), ...(nextToken ? { nextToken } : {}) };
  },
  GetExecutionHistory(input, sfn) {
    const arn = str(input, 'executionArn');
    const reverse = input.reverseOrder === true;
    const includeData = input.includeExecutionData !== false;
    const all = sfn.history(arn, reverse ? 0 : 1, Number.MAX_SAFE_INTEGER, reverse);
    const { items, nextToken } = page(input, all);
    const events = items.map((e) => {
      const out: Record<string, unknown> = { ...e, timestamp: seconds(e.timestamp) };
      if (!includeData) for (const [k, v] of Object.entries(out)) if (k.endsWith('EventDetails') && v && typeof v === 'object') out[k] = withoutData(v as Record<string, unknown>);
      return out;
    });
    return { events, ...(nextToken ? { nextToken } : {}) };
  },
};

/** includeExecutionData: false drops inputs and outputs, as Step Functions does. */
function withoutData(d: Record<string, unknown>): Record<string, unknown> {
  const { input: _i, output: _o, parameters: _p, ...rest } = d;
  return rest;
}

