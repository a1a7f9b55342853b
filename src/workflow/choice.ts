/**
 * Choice rules: the comparison operators, the type tests and And/Or/Not. A comparison of
 * values of the wrong type is false (as in Step Functions), but a Variable whose path
 * reaches nothing is States.Runtime — except for IsPresent, which tests exactly that.
 */
import { RUNTIME, StatesError } from './errors.js';
import { pathExists, queryPath } from './json-path.js';
import type { Json } from './types.js';

type Rule = Record<string, unknown>;

const COMPARISONS = ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'] as const;
const KINDS = ['String', 'Numeric', 'Timestamp'] as const;

/** Every comparison operator name, with and without the Path suffix. */
export const COMPARISON_OPERATORS: readonly string[] = [
  ...KINDS.flatMap((k) => COMPARISONS.flatMap((c) => [`${k}${c}`, `${k}${c}Path`])),
  'BooleanEquals',
  'BooleanEqualsPath',
  'StringMatches',
];
export const TYPE_TESTS = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'] as const;

/** RFC 3339 timestamps, as Step Functions accepts them (an offset or Z is required). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export const isTimestamp = (v: unknown): v is string => typeof v === 'string' && TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v));

/** Microsecond-exact comparison key: Date.parse keeps only milliseconds. */
function timestampKey(v: string): [number, string] {
  const frac = /\.(\d+)/.exec(v)?.[1] ?? '';
  return [Date.parse(v), frac.slice(3).padEnd(9, '0')];
}

export function evaluateRule(rule: Rule, input: Json, context: Json): boolean {
  if (Array.isArray(rule.And)) return (rule.And as Rule[]).every((r) => evaluateRule(r, input, context));
  if (Array.isArray(rule.Or)) return (rule.Or as Rule[]).some((r) => evaluateRule(r, input, context));
  if (rule.Not !== undefined) return !evaluateRule(rule.Not as Rule, input, context);
  const variable = rule.Variable as string;
  if (rule.IsPresent !== undefined) return pathExists(variable, input, context) === rule.IsPresent;
  const value = queryPath(variable, input, context);
  if (value === undefined) throw new StatesError(RUNTIME, `Invalid path '${variable}': The choice state's condition path references an invalid value.`);
  for (const test of TYPE_TESTS) {
    if (rule[test] === undefined) continue;
    const holds =
      test === 'IsNull' ? value === null
      : test === 'IsNumeric' ? typeof value === 'number'
      : test === 'IsString' ? typeof value === 'string'
      : test === 'IsBoolean' ? typeof value === 'boolean'
      : isTimestamp(value);
    return holds === rule[test];
  }
  for (const op of COMPARISON_OPERATORS) {
    if (rule[op] === undefined) continue;
    let operand = rule[op] as Json | undefined;
    const base = op.endsWith('Path') ? op.slice(0, -4) : op;
    if (op.endsWith('Path')) {
      operand = queryPath(rule[op] as string, input, context);
      if (operand === undefined) throw new StatesError(RUNTIME, `Invalid path '${rule[op] as string}' in ${op}`);
    }
    return compare(base, value, operand!);
  }
  return false;
}

function compare(op: string, value: Json, operand: Json): boolean {
  if (op === 'StringMatches') return typeof value === 'string' && typeof operand === 'string' && wildcard(operand).test(value);
  if (op === 'BooleanEquals') return typeof value === 'boolean' && value === operand;
  const kind = KINDS.find((k) => op.startsWith(k))!;
  const relation = op.slice(kind.length);
  let order: number;
  if (kind === 'Numeric') {
    if (typeof value !== 'number' || typeof operand !== 'number') return false;
    order = Math.sign(value - operand);
  } else if (kind === 'String') {
    if (typeof value !== 'string' || typeof operand !== 'string') return false;
    order = value < operand ? -1 : value > operand ? 1 : 0;
  } else {
    if (!isTimestamp(value) || !isTimestamp(operand)) return false;
    const [a, b] = [timestampKey(value), timestampKey(operand)];
    order = a[0] !== b[0] ? Math.sign(a[0] - b[0]) : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
  }
  switch (relation) {
    case 'Equals':
      return order === 0;
    case 'LessThan':
      return order < 0;
    case 'GreaterThan':
      return order > 0;
    case 'LessThanEquals':
      return order <= 0;
    default:
      return order >= 0;
  }
}

/** StringMatches: `*` matches any run of characters; `\*` and `\\` are literal. */
function wildcard(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += escape(pattern[++i]!);
    else if (c === '*') re += '[\\s\\S]*';
    else re += escape(c);
  }
  return new RegExp(`^${re}$`);
}

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
