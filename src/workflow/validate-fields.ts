/**
 * Field-level checks shared by the definition validator: paths, payload templates,
 * Retry and Catch, Choice rules. Each pushes messages naming the state and field.
 */
import { COMPARISON_OPERATORS, isTimestamp, TYPE_TESTS } from './choice.js';
import { STATES_ALL } from './errors.js';
import { looksIntrinsic, parseIntrinsic } from './intrinsic-parser.js';
import { isReferencePath, parsePath } from './json-path.js';

export type Problems = string[];
type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPosInt = (v: unknown) => Number.isInteger(v) && (v as number) > 0;
const isNonNegInt = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;

export function checkPath(p: Problems, where: string, field: string, value: unknown, nullable: boolean): void {
  if (value === undefined || (nullable && value === null)) return;
  if (typeof value !== 'string') return void p.push(`${where}.${field}: must be a JSONPath string${nullable ? ' or null' : ''}`);
  try {
    parsePath(value);
  } catch (e) {
    p.push(`${where}.${field}: ${(e as Error).message}`);
  }
}

export function checkResultPath(p: Problems, where: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || !isReferencePath(value)) p.push(`${where}.ResultPath: must be a reference path like '$.a.b' or null`);
}

/** A path or intrinsic in a `.$` field, or an ErrorPath/CausePath. */
export function checkDynamic(p: Problems, where: string, value: unknown): void {
  if (typeof value !== 'string') return void p.push(`${where}: a '.$' field's value must be a JSONPath or an intrinsic function`);
  try {
    if (looksIntrinsic(value)) parseIntrinsic(value);
    else parsePath(value);
  } catch (e) {
    p.push(`${where}: ${(e as Error).message}`);
  }
}

export function checkTemplate(p: Problems, where: string, value: unknown): void {
  if (value === undefined) return;
  if (Array.isArray(value)) return value.forEach((v, i) => checkTemplate(p, `${where}[${i}]`, v));
  if (!isObj(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (k.endsWith('.$')) checkDynamic(p, `${where}.${k}`, v);
    else checkTemplate(p, `${where}.${k}`, v);
  }
}

export function checkRetry(p: Problems, where: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) return void p.push(`${where}.Retry: must be an array of retriers`);
  value.forEach((r: unknown, i) => {
    const at = `${where}.Retry[${i}]`;
    if (!isObj(r)) return void p.push(`${at}: must be an object`);
    checkErrorEquals(p, at, r.ErrorEquals, i === value.length - 1);
    unknownFields(p, at, r, ['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy', 'Comment']);
    if (r.IntervalSeconds !== undefined && !isPosInt(r.IntervalSeconds)) p.push(`${at}.IntervalSeconds: must be a positive integer`);
    if (r.MaxAttempts !== undefined && !isNonNegInt(r.MaxAttempts)) p.push(`${at}.MaxAttempts: must be a non-negative integer`);
    if (r.BackoffRate !== undefined && !(typeof r.BackoffRate === 'number' && r.BackoffRate >= 1)) p.push(`${at}.BackoffRate: must be a number ≥ 1.0`);
    if (r.MaxDelaySeconds !== undefined && !isPosInt(r.MaxDelaySeconds)) p.push(`${at}.MaxDelaySeconds: must be a positive integer`);
    if (r.JitterStrategy !== undefined && r.JitterStrategy !== 'FULL' && r.JitterStrategy !== 'NONE') p.push(`${at}.JitterStrategy: must be FULL or NONE`);
  });
}

export function checkCatch(p: Problems, where: string, value: unknown, states: Obj): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) return void p.push(`${where}.Catch: must be an array of catchers`);
  value.forEach((c: unknown, i) => {
    const at = `${where}.Catch[${i}]`;
    if (!isObj(c)) return void p.push(`${at}: must be an object`);
    checkErrorEquals(p, at, c.ErrorEquals, i === value.length - 1);
    unknownFields(p, at, c, ['ErrorEquals', 'Next', 'ResultPath', 'Comment']);
    checkNext(p, at, c.Next, states, true);
    checkResultPath(p, at, c.ResultPath);
  });
}

function checkErrorEquals(p: Problems, at: string, value: unknown, isLast: boolean): void {
  if (!Array.isArray(value) || value.length === 0 || !value.every((e) => typeof e === 'string' && e.length > 0)) {
    return void p.push(`${at}.ErrorEquals: must be a non-empty array of error names`);
  }
  if (value.includes(STATES_ALL) && (value.length > 1 || !isLast)) p.push(`${at}.ErrorEquals: States.ALL must appear alone and in the last retrier or catcher`);
}

export function checkNext(p: Problems, at: string, next: unknown, states: Obj, required: boolean): void {
  if (next === undefined) {
    if (required) p.push(`${at}.Next: is required`);
    return;
  }
  if (typeof next !== 'string' || !(next in states)) p.push(`${at}.Next: state '${String(next)}' does not exist`);
}

export function unknownFields(p: Problems, at: string, o: Obj, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) p.push(`${at}: unknown field '${k}'`);
}

/** A Choice rule; top-level rules need Next, nested ones (in And/Or/Not) must not have it. */
export function checkRule(p: Problems, at: string, rule: unknown, states: Obj, topLevel: boolean): void {
  if (!isObj(rule)) return void p.push(`${at}: must be an object`);
  if (topLevel) checkNext(p, at, rule.Next, states, true);
  else if (rule.Next !== undefined) p.push(`${at}.Next: only a top-level choice rule may have Next`);
  const combinators = ['And', 'Or', 'Not'].filter((k) => rule[k] !== undefined);
  const ops = Object.keys(rule).filter((k) => COMPARISON_OPERATORS.includes(k) || (TYPE_TESTS as readonly string[]).includes(k));
  if (combinators.length + ops.length !== 1) return void p.push(`${at}: must have exactly one comparison operator or one of And, Or, Not`);
  if (combinators[0] === 'Not') return checkRule(p, `${at}.Not`, rule.Not, states, false);
  if (combinators.length === 1) {
    const list = rule[combinators[0]!];
    if (!Array.isArray(list) || list.length === 0) return void p.push(`${at}.${combinators[0]}: must be a non-empty array of rules`);
    return list.forEach((r, i) => checkRule(p, `${at}.${combinators[0]}[${i}]`, r, states, false));
  }
  if (typeof rule.Variable !== 'string') return void p.push(`${at}.Variable: is required with ${ops[0]}`);
  checkPath(p, at, 'Variable', rule.Variable, false);
  const op = ops[0]!;
  const operand = rule[op];
  if (op.endsWith('Path')) return checkPath(p, at, op, operand, false);
  const ok =
    op.startsWith('Is') || op === 'BooleanEquals' ? typeof operand === 'boolean'
    : op.startsWith('Numeric') ? typeof operand === 'number'
    : op.startsWith('Timestamp') ? isTimestamp(operand)
    : typeof operand === 'string';
  if (!ok) p.push(`${at}.${op}: wrong operand type ${JSON.stringify(operand)}`);
}
