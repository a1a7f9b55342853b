/** Step Functions' ARNs: state machines, standard executions and express executions. */
import { ACCOUNT_ID } from '../common/index.js';
import { SfnError } from './errors.js';

export const stateMachineArn = (region: string, name: string) => `arn:aws:states:${region}:${ACCOUNT_ID}:stateMachine:${name}`;
export const executionArn = (region: string, machine: string, name: string) => `arn:aws:states:${region}:${ACCOUNT_ID}:execution:${machine}:${name}`;
export const expressExecutionArn = (region: string, machine: string, name: string, id: string) => `arn:aws:states:${region}:${ACCOUNT_ID}:express:${machine}:${name}:${id}`;

/** The state machine's name from its ARN; anything else is InvalidArn, as in Step Functions. */
export function machineNameOf(arn: string): string {
  const p = arn.split(':');
  if (p.length !== 7 || p[0] !== 'arn' || p[2] !== 'states' || p[5] !== 'stateMachine' || !p[6]) throw new SfnError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
  return p[6];
}

export function checkExecutionArn(arn: string): void {
  const p = arn.split(':');
  if (p.length < 8 || p[0] !== 'arn' || p[2] !== 'states' || (p[5] !== 'execution' && p[5] !== 'express')) throw new SfnError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
}

/** Names of machines and executions: 1–80 characters, none of Step Functions' forbidden ones. */
export function checkName(name: string, what: string): void {
  // eslint-disable-next-line no-control-regex
  if (name.length < 1 || name.length > 80 || /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/.test(name)) {
    throw new SfnError('InvalidName', `Invalid Name: '${name}' (${what} names are 1–80 characters without whitespace, brackets, wildcards or punctuation)`);
  }
}
