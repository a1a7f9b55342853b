/**
 * Definition validation at creation time: `validate(definition)` returns a StateMachine or
 * throws a DefinitionError listing every structural problem, each naming the state and
 * the field (`States.Check.Choices[0].Next: state 'X' does not exist`).
 */
import { HearthError } from '../common/index.js';
import { isTimestamp } from './choice.js';
import type { Branch, JsonObject, RawState, StateMachine } from './types.js';
import {
  checkCatch,
  checkDynamic,
  checkNext,
  checkPath,
  checkResultPath,
  checkRetry,
  checkRule,
  checkTemplate,
  isObj,
  type Problems,
  unknownFields,
} from './validate-fields.js';

export class DefinitionError extends HearthError {
  constructor(readonly problems: string[]) {
    super('ValidationException', `Invalid State Machine Definition: ${problems.join('; ')}`);
  }
}

const COMMON = ['Type', 'Comment'];
const IO = ['InputPath', 'OutputPath'];
const FIELDS: Record<string, string[]> = {
  Pass: [...COMMON, ...IO, 'Next', 'End', 'Parameters', 'Result', 'ResultPath'],
  Task: [...COMMON, ...IO, 'Next', 'End', 'Resource', 'Parameters', 'ResultSelector', 'ResultPath', 'Retry', 'Catch', 'TimeoutSeconds', 'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath', 'Credentials'],
  Choice: [...COMMON, ...IO, 'Choices', 'Default'],
  Wait: [...COMMON, ...IO, 'Next', 'End', 'Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'],
  Succeed: [...COMMON, ...IO],
  Fail: [...COMMON, 'Error', 'ErrorPath', 'Cause', 'CausePath'],
  Parallel: [...COMMON, ...IO, 'Next', 'End', 'Branches', 'Parameters', 'ResultSelector', 'ResultPath', 'Retry', 'Catch'],
  Map: [...COMMON, ...IO, 'Next', 'End', 'ItemsPath', 'ItemSelector', 'Parameters', 'ItemProcessor', 'Iterator', 'MaxConcurrency', 'MaxConcurrencyPath', 'ResultSelector', 'ResultPath', 'Retry', 'Catch'],
};
const HAS_TRANSITION = new Set(['Pass', 'Task', 'Wait', 'Parallel', 'Map']);

export function validate(definition: unknown): StateMachine {
  const p: Problems = [];
  const branches: Record<string, Branch> = {};
  if (!isObj(definition)) throw new DefinitionError(['the definition must be a JSON object']);
  if (definition.QueryLanguage !== undefined && definition.QueryLanguage !== 'JSONPath') p.push(`QueryLanguage: only 'JSONPath' is supported`);
  if (definition.TimeoutSeconds !== undefined && !(Number.isInteger(definition.TimeoutSeconds) && (definition.TimeoutSeconds as number) > 0)) {
    p.push('TimeoutSeconds: must be a positive integer');
  }
  unknownFields(p, '(top level)', definition, ['StartAt', 'States', 'Comment', 'Version', 'TimeoutSeconds', 'QueryLanguage']);
  const root = scope(p, '', 'States', definition, branches);
  if (p.length > 0) throw new DefinitionError(p);
  const machine: StateMachine = { definition: definition as JsonObject, root, branches };
  if (definition.TimeoutSeconds !== undefined) machine.timeoutSeconds = definition.TimeoutSeconds as number;
  return machine;
}

/** One scope of states (the top level, a branch, a Map processor). */
function scope(p: Problems, key: string, where: string, def: Record<string, unknown>, branches: Record<string, Branch>): Branch {
  const states = isObj(def.States) ? def.States : {};
  if (!isObj(def.States) || Object.keys(def.States).length === 0) p.push(`${where}: must be a non-empty object of states`);
  if (typeof def.StartAt !== 'string') p.push(`${where === 'States' ? 'StartAt' : `${where}.StartAt`}: is required`);
  else if (!(def.StartAt in states)) p.push(`${where === 'States' ? 'StartAt' : `${where}.StartAt`}: state '${def.StartAt}' does not exist`);
  for (const [name, s] of Object.entries(states)) {
    if (name.length === 0 || name.length > 80) p.push(`${where}.${name}: a state name must be 1–80 characters`);
    state(p, key, `${where}.${name}`, name, s, states, branches);
  }
  unreachable(p, where, def.StartAt, states);
  const branch: Branch = { key, startAt: def.StartAt as string, states: states as Record<string, RawState> };
  branches[key] = branch;
  return branch;
}

function state(p: Problems, key: string, at: string, name: string, s: unknown, states: Record<string, unknown>, branches: Record<string, Branch>): void {
  if (!isObj(s)) return void p.push(`${at}: must be an object`);
  const type = s.Type;
  if (typeof type !== 'string' || !(type in FIELDS)) return void p.push(`${at}.Type: must be one of ${Object.keys(FIELDS).join(', ')}`);
  unknownFields(p, at, s, FIELDS[type]!);
  if (HAS_TRANSITION.has(type)) {
    if ((s.Next === undefined) === (s.End !== true)) p.push(`${at}: must have exactly one of Next or End: true`);
    checkNext(p, at, s.Next, states, false);
  }
  checkPath(p, at, 'InputPath', s.InputPath, true);
  checkPath(p, at, 'OutputPath', s.OutputPath, true);
  checkResultPath(p, at, s.ResultPath);
  checkTemplate(p, `${at}.Parameters`, s.Parameters);
  checkTemplate(p, `${at}.ResultSelector`, s.ResultSelector);
  checkRetry(p, at, s.Retry);
  checkCatch(p, at, s.Catch, states);
  switch (type) {
    case 'Task':
      if (typeof s.Resource !== 'string' || s.Resource.length === 0) p.push(`${at}.Resource: is required and must be a string`);
      timing(p, at, s);
      break;
    case 'Choice':
      if (!Array.isArray(s.Choices) || s.Choices.length === 0) p.push(`${at}.Choices: must be a non-empty array`);
      else s.Choices.forEach((r, i) => checkRule(p, `${at}.Choices[${i}]`, r, states, true));
      if (s.Default !== undefined && (typeof s.Default !== 'string' || !(s.Default in states))) p.push(`${at}.Default: state '${String(s.Default)}' does not exist`);
      break;
    case 'Wait': {
      const given = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'].filter((f) => s[f] !== undefined);
      if (given.length !== 1) p.push(`${at}: must have exactly one of Seconds, Timestamp, SecondsPath, TimestampPath`);
      if (s.Seconds !== undefined && !(Number.isInteger(s.Seconds) && (s.Seconds as number) >= 0)) p.push(`${at}.Seconds: must be a non-negative integer`);
      if (s.Timestamp !== undefined && !isTimestamp(s.Timestamp)) p.push(`${at}.Timestamp: must be an RFC 3339 timestamp`);
      checkPath(p, at, 'SecondsPath', s.SecondsPath, false);
      checkPath(p, at, 'TimestampPath', s.TimestampPath, false);
      break;
    }
    case 'Fail':
      for (const f of ['Error', 'Cause'] as const) {
        if (s[f] !== undefined && s[`${f}Path`] !== undefined) p.push(`${at}: must not have both ${f} and ${f}Path`);
        if (s[f] !== undefined && typeof s[f] !== 'string') p.push(`${at}.${f}: must be a string`);
        if (s[`${f}Path`] !== undefined) checkDynamic(p, `${at}.${f}Path`, s[`${f}Path`]);
      }
      break;
    case 'Parallel':
      if (!Array.isArray(s.Branches) || s.Branches.length === 0) p.push(`${at}.Branches: must be a non-empty array`);
      else s.Branches.forEach((b, i) => (isObj(b) ? scope(p, `${key}/${name}#${i}`, `${at}.Branches[${i}].States`, b, branches) : p.push(`${at}.Branches[${i}]: must be an object`)));
      break;
    case 'Map':
      map(p, key, at, name, s, branches);
      break;
  }
}

function timing(p: Problems, at: string, s: Record<string, unknown>): void {
  for (const f of ['TimeoutSeconds', 'HeartbeatSeconds'] as const) {
    if (s[f] !== undefined && s[`${f}Path`] !== undefined) p.push(`${at}: must not have both ${f} and ${f}Path`);
    if (s[f] !== undefined && !(Number.isInteger(s[f]) && (s[f] as number) > 0)) p.push(`${at}.${f}: must be a positive integer`);
    checkPath(p, at, `${f}Path`, s[`${f}Path`], false);
  }
  if (typeof s.TimeoutSeconds === 'number' && typeof s.HeartbeatSeconds === 'number' && s.HeartbeatSeconds >= s.TimeoutSeconds) {
    p.push(`${at}.HeartbeatSeconds: must be smaller than TimeoutSeconds`);
  }
}

function map(p: Problems, key: string, at: string, name: string, s: Record<string, unknown>, branches: Record<string, Branch>): void {
  if ((s.ItemProcessor === undefined) === (s.Iterator === undefined)) return void p.push(`${at}: must have exactly one of ItemProcessor or Iterator`);
  if (s.ItemSelector !== undefined && s.Parameters !== undefined) p.push(`${at}: must not have both ItemSelector and Parameters`);
  checkTemplate(p, `${at}.ItemSelector`, s.ItemSelector);
  checkPath(p, at, 'ItemsPath', s.ItemsPath, false);
  checkPath(p, at, 'MaxConcurrencyPath', s.MaxConcurrencyPath, false);
  if (s.MaxConcurrency !== undefined && !(Number.isInteger(s.MaxConcurrency) && (s.MaxConcurrency as number) >= 0)) p.push(`${at}.MaxConcurrency: must be a non-negative integer`);
  const field = s.ItemProcessor !== undefined ? 'ItemProcessor' : 'Iterator';
  const proc = s[field];
  if (!isObj(proc)) return void p.push(`${at}.${field}: must be an object`);
  const mode = isObj(proc.ProcessorConfig) ? proc.ProcessorConfig.Mode : undefined;
  if (mode !== undefined && mode !== 'INLINE') p.push(`${at}.${field}.ProcessorConfig.Mode: only INLINE is supported`);
  scope(p, `${key}/${name}#map`, `${at}.${field}.States`, proc, branches);
}

/** Step Functions rejects states no transition reaches. */
function unreachable(p: Problems, where: string, startAt: unknown, states: Record<string, unknown>): void {
  if (typeof startAt !== 'string' || !(startAt in states)) return;
  const seen = new Set<string>();
  const todo = [startAt];
  while (todo.length > 0) {
    const n = todo.pop()!;
    if (seen.has(n) || !(n in states)) continue;
    seen.add(n);
    const s = states[n];
    if (!isObj(s)) continue;
    const targets: unknown[] = [s.Next, s.Default];
    if (Array.isArray(s.Choices)) for (const c of s.Choices) if (isObj(c)) targets.push(c.Next);
    if (Array.isArray(s.Catch)) for (const c of s.Catch) if (isObj(c)) targets.push(c.Next);
    for (const t of targets) if (typeof t === 'string') todo.push(t);
  }
  for (const n of Object.keys(states)) if (!seen.has(n)) p.push(`${where}.${n}: state is not reachable from StartAt`);
}
