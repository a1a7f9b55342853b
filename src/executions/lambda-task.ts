/**
 * Task states that call Lambda functions: which function a `Resource` names, what payload
 * it gets, and how its result becomes the task's output or failure. Three forms, as in
 * Step Functions: a function ARN, a bare function name (Hearth's shorthand), and the
 * optimized integration `arn:aws:states:::lambda:invoke` whose Parameters carry
 * `FunctionName` and `Payload`.
 */
import { parseFunctionRef } from '../common/index.js';
import type { InvokeResult } from '../invoke/index.js';
import { type Failure, type Json, lambdaFailure, type StateMachine } from '../workflow/index.js';

export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';

export interface LambdaCall {
  name: string;
  qualifier?: string;
  payload: string;
  /** The optimized integration wraps the result ({Payload, StatusCode, …}). */
  wrapped: boolean;
}

/** Why a Task's Resource cannot run here, or undefined when Hearth runs it. */
export function unsupportedResource(resource: string): string | undefined {
  if (resource === LAMBDA_INVOKE) return undefined;
  if (resource.startsWith('arn:aws:states:')) return `${resource} is not a service integration Hearth runs (only ${LAMBDA_INVOKE})`;
  if (resource.startsWith('arn:') && !/^arn:aws:lambda:[^:]*:[^:]*:function:[^:]+(:[^:]+)?$/.test(resource)) return `${resource} is not a Lambda function ARN`;
  return undefined;
}

/** Every problem of the machine's Task states that validate() does not know about. */
export function taskProblems(machine: StateMachine): string[] {
  const out: string[] = [];
  for (const branch of Object.values(machine.branches)) {
    for (const [name, s] of Object.entries(branch.states)) {
      if (s.Type !== 'Task') continue;
      const why = unsupportedResource(String(s.Resource));
      if (why) out.push(`States.${name}.Resource: ${why}`);
      // Heartbeats need SendTaskHeartbeat, which no Lambda task calls; refused, not ignored.
      if (s.HeartbeatSeconds !== undefined || s.HeartbeatSecondsPath !== undefined) out.push(`States.${name}.HeartbeatSeconds: Hearth does not implement task heartbeats (SendTaskHeartbeat)`);
      if (s.Credentials !== undefined) out.push(`States.${name}.Credentials: Hearth does not assume roles for tasks`);
    }
  }
  return out;
}

/** The call a Task effect makes. Throws a Failure-shaped error for a bad FunctionName. */
export function lambdaCall(resource: string, payload: Json): LambdaCall | Failure {
  if (resource === LAMBDA_INVOKE) {
    const params = payload && typeof payload === 'object' && !Array.isArray(payload) ? payload : {};
    if (typeof params.FunctionName !== 'string') return { error: 'States.Runtime', cause: `${LAMBDA_INVOKE} needs a string FunctionName in Parameters` };
    const ref = parseFunctionRef(params.FunctionName);
    const body = 'Payload' in params ? params.Payload! : null;
    return { ...ref, payload: JSON.stringify(body), wrapped: true };
  }
  return { ...parseFunctionRef(resource), payload: JSON.stringify(payload), wrapped: false };
}

/** A Lambda result as the task's outcome: a function error fails with its errorType. */
export function taskOutcome(call: LambdaCall, result: InvokeResult): { output: Json } | { failure: Failure } {
  let body: Json;
  try {
    body = JSON.parse(result.payload) as Json;
  } catch {
    body = result.payload;
  }
  if (result.functionError) {
    const err = body && typeof body === 'object' && !Array.isArray(body) ? (body as { errorType?: string; errorMessage?: string }) : { errorMessage: String(body) };
    return { failure: lambdaFailure(err) };
  }
  if (!call.wrapped) return { output: body };
  return {
    output: {
      ExecutedVersion: result.executedVersion,
      Payload: body,
      SdkHttpMetadata: { HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: result.requestId },
      StatusCode: 200,
    },
  };
}
