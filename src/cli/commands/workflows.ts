import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError, type HearthClient } from '../client.js';

interface Machine {
  stateMachineArn: string;
  name: string;
  type: string;
}

interface Execution {
  status: string;
  output?: string;
  error?: string;
  cause?: string;
}

type Event = { id: number; type: string } & Record<string, unknown>;

/** One Step Functions JSON 1.0 call. */
const sfn = <T>(client: HearthClient, operation: string, input: Record<string, unknown>) =>
  client.awsJson<T>(`AWSStepFunctions.${operation}`, 'application/x-amz-json-1.0', input);

// Step Functions requires a role; Hearth stores it without assuming it, so any ARN does.
const DEFAULT_ROLE = 'arn:aws:iam::000000000000:role/hearth-states';
const POLL_MS = 200;

async function machines(client: HearthClient): Promise<Machine[]> {
  const out: Machine[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn<{ stateMachines: Machine[]; nextToken?: string }>(client, 'ListStateMachines', { maxResults: 1000, nextToken });
    out.push(...page.stateMachines);
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** A machine by name (the server's region is in its ARN, so look it up rather than build it). */
async function machineArn(client: HearthClient, nameOrArn: string): Promise<string> {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  const m = (await machines(client)).find((x) => x.name === nameOrArn);
  if (!m) throw new CliError(`StateMachineDoesNotExist: no state machine named ${nameOrArn} (see \`hearth wf ls\`)`);
  return m.stateMachineArn;
}

/** An execution ARN, or MACHINE:EXECUTION as a shorthand for a standard execution. */
async function executionArn(client: HearthClient, ref: string): Promise<string> {
  if (ref.startsWith('arn:')) return ref;
  const colon = ref.indexOf(':');
  if (colon <= 0) throw new CliError(`expected an execution ARN or MACHINE:EXECUTION (got "${ref}")`);
  const machine = await machineArn(client, ref.slice(0, colon));
  return `${machine.replace(':stateMachine:', ':execution:')}:${ref.slice(colon + 1)}`;
}

/** The definition file's text; refused here when it is not JSON, naming the file. */
function readDefinition(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    JSON.parse(text);
  } catch (err) {
    throw new CliError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  return text;
}

/** The state name an event is about, or its error: what a reader scans a history for. */
function eventSubject(e: Event): string {
  for (const [k, v] of Object.entries(e)) {
    if (!k.endsWith('EventDetails') || !v || typeof v !== 'object') continue;
    const d = v as { name?: string; error?: string; cause?: string };
    if (d.name !== undefined) return d.name;
    if (d.error !== undefined) return d.cause ? `${d.error}: ${oneLine(d.cause)}` : d.error;
  }
  return '';
}

// A cause may be a whole error JSON with a stack trace; a history line stays one line.
const oneLine = (s: string) => {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
};

export function workflowCommands(program: Command, client: () => HearthClient): void {
  const wf = program.command('wf').description('Step Functions state machines and executions (also reachable with @aws-sdk/client-sfn)');

  wf.command('create <name> <definition>')
    .description('create a state machine from an Amazon States Language JSON file, or update the definition of the one with that name; prints its ARN')
    .option('--type <type>', 'STANDARD or EXPRESS (on create)', 'STANDARD')
    .option('--role <arn>', 'role ARN (stored, not assumed)', DEFAULT_ROLE)
    .action(async (name: string, path: string, o: { type: string; role: string }) => {
      const c = client();
      const definition = readDefinition(path);
      const existing = (await machines(c)).find((m) => m.name === name);
      if (existing) {
        await sfn(c, 'UpdateStateMachine', { stateMachineArn: existing.stateMachineArn, definition });
        console.log(existing.stateMachineArn);
        return;
      }
      const r = await sfn<{ stateMachineArn: string }>(c, 'CreateStateMachine', { name, definition, roleArn: o.role, type: o.type });
      console.log(r.stateMachineArn);
    });

  wf.command('start <machine>')
    .description('start an execution; prints its ARN, or with --wait its output once it ends (exit code 1 unless it succeeded)')
    .option('--input <json>', 'the execution input, JSON', '{}')
    .option('--name <name>', 'the execution name (default: a UUID)')
    .option('--wait', 'wait until the execution ends and print its output')
    .action(async (machine: string, o: { input: string; name?: string; wait?: boolean }) => {
      try {
        JSON.parse(o.input);
      } catch {
        throw new CliError(`--input is not valid JSON: ${o.input}`);
      }
      const c = client();
      const started = await sfn<{ executionArn: string }>(c, 'StartExecution', { stateMachineArn: await machineArn(c, machine), input: o.input, name: o.name });
      if (!o.wait) {
        console.log(started.executionArn);
        return;
      }
      // stdout carries only the output, so `--wait` composes with jq; the ARN goes to stderr.
      process.stderr.write(`${started.executionArn}\n`);
      let e: Execution;
      for (;;) {
        e = await sfn<Execution>(c, 'DescribeExecution', { executionArn: started.executionArn });
        if (e.status !== 'RUNNING') break;
        await new Promise((ok) => setTimeout(ok, POLL_MS));
      }
      if (e.status === 'SUCCEEDED') {
        console.log(e.output ?? 'null');
        return;
      }
      process.stderr.write(`hearth: execution ${e.status}: ${e.error ?? 'no error'}${e.cause ? `: ${oneLine(e.cause)}` : ''}\n`);
      process.exitCode = 1;
    });

  wf.command('history <execution>')
    .description('the execution history, one event a line: id, type, and the state name or error (EXECUTION is an ARN or MACHINE:NAME)')
    .action(async (ref: string) => {
      const c = client();
      const arn = await executionArn(c, ref);
      let nextToken: string | undefined;
      do {
        const page = await sfn<{ events: Event[]; nextToken?: string }>(c, 'GetExecutionHistory', { executionArn: arn, maxResults: 1000, includeExecutionData: false, nextToken });
        for (const e of page.events) console.log(`${String(e.id).padStart(4)}  ${e.type.padEnd(24)}  ${eventSubject(e)}`.trimEnd());
        nextToken = page.nextToken;
      } while (nextToken);
    });

  wf.command('ls')
    .description('state machines: name, type, ARN')
    .action(async () => {
      for (const m of await machines(client())) console.log(`${m.name}  ${m.type}  ${m.stateMachineArn}`);
    });
}
