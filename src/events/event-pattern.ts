import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { badPattern } from './bus-errors.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One element of a leaf's array: a test of one (non-array) event value. */
interface Test {
  /** `exists: false` is the only test an absent field can pass. */
  absent?: boolean;
  /** Whether the value is one the test accepts (the field is present). */
  accepts(value: Json): boolean;
}

interface ObjectNode {
  kind: 'object';
  fields: [string, PatternNode][];
  /** Each `$or`: one of its alternatives must match the same object. */
  ors: ObjectNode[][];
}
type PatternNode = ObjectNode | { kind: 'leaf'; tests: Test[] };

/** A validated event pattern: `matches` is pure and never throws. */
export interface EventPattern {
  matches(event: unknown): boolean;
}

/**
 * Parses and validates an EventBridge event pattern (JSON text). Throws
 * InvalidEventPatternException, with the reason, for anything EventBridge would refuse.
 */
export function compilePattern(text: string): EventPattern {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badPattern('Filter is not valid JSON.');
  }
  if (!isObject(parsed)) throw badPattern('Filter is not an object.');
  const root = compileObject(parsed, '');
  return { matches: (event) => isObject(event as Json) && matchObject(root, event as JsonObject) };
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function compileObject(pattern: JsonObject, path: string): ObjectNode {
  const node: ObjectNode = { kind: 'object', fields: [], ors: [] };
  for (const [key, value] of Object.entries(pattern)) {
    const where = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) throw badPattern(`"$or" at ${where} must be an array of at least two objects.`);
      node.ors.push(value.map((alt) => compileObject(alt as JsonObject, path)));
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw badPattern(`Empty arrays are not allowed (at ${where}).`);
      node.fields.push([key, { kind: 'leaf', tests: value.map((v) => compileTest(v, where)) }]);
    } else if (isObject(value)) {
      node.fields.push([key, compileObject(value, where)]);
    } else {
      throw badPattern(`"${where}" must be an object or an array.`);
    }
  }
  return node;
}

function compileTest(v: Json, where: string): Test {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return { accepts: (x) => x === v };
  if (typeof v === 'number') return { accepts: (x) => typeof x === 'number' && x === v };
  if (Array.isArray(v)) throw badPattern(`Match value at ${where} must be a string, number, boolean, null or an operator object.`);
  const keys = Object.keys(v);
  if (keys.length !== 1) throw badPattern(`An operator object at ${where} must have exactly one key.`);
  const op = keys[0]!;
  const arg = v[op] as Json;
  switch (op) {
    case 'prefix':
      return stringTest(arg, where, op, (s, p) => s.startsWith(p));
    case 'suffix':
      return stringTest(arg, where, op, (s, p) => s.endsWith(p));
    case 'equals-ignore-case': {
      const want = str(arg, where, op).toLowerCase();
      return { accepts: (x) => typeof x === 'string' && x.toLowerCase() === want };
    }
    case 'wildcard': {
      const re = wildcard(str(arg, where, op), where);
      return { accepts: (x) => typeof x === 'string' && re.test(x) };
    }
    case 'exists':
      if (typeof arg !== 'boolean') throw badPattern(`exists match pattern must be either true or false (at ${where}).`);
      // Exists applies to leaves only: an object-valued field does not "exist" for it.
      return arg ? { accepts: (x) => !isObject(x) } : { absent: true, accepts: () => false };
    case 'numeric':
      return numeric(arg, where);
    case 'cidr':
      return cidr(arg, where);
    case 'anything-but':
      return anythingBut(arg, where);
    default:
      throw badPattern(`Unrecognized match type ${op} (at ${where}).`);
  }
}

function str(arg: Json, where: string, op: string): string {
  if (typeof arg !== 'string') throw badPattern(`${op} match pattern must be a string (at ${where}).`);
  return arg;
}

/** prefix / suffix: a string, or `{"equals-ignore-case": string}`. */
function stringTest(arg: Json, where: string, op: string, test: (s: string, p: string) => boolean): Test {
  if (isObject(arg)) {
    const keys = Object.keys(arg);
    if (keys.length !== 1 || keys[0] !== 'equals-ignore-case') throw badPattern(`${op} match pattern must be a string or {"equals-ignore-case": string} (at ${where}).`);
    const p = str(arg['equals-ignore-case'] as Json, where, op).toLowerCase();
    return { accepts: (x) => typeof x === 'string' && test(x.toLowerCase(), p) };
  }
  const p = str(arg, where, op);
  return { accepts: (x) => typeof x === 'string' && test(x, p) };
}

/** `*` stands for any run of characters; `\*` and `\\` are literal. Two `*` in a row are refused. */
function wildcard(pattern: string, where: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') throw badPattern(`Invalid escape in wildcard pattern at ${where}: only \\* and \\\\ may be escaped.`);
      re += `\\${next}`;
      i++;
    } else if (c === '*') {
      if (pattern[i + 1] === '*') throw badPattern(`Consecutive wildcard characters at pos ${i + 1} (at ${where}).`);
      re += '.*';
    } else {
      re += c.replace(/[.+?^${}()|[\]/-]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`, 's');
}

const LOWER = new Set(['>', '>=']);
const UPPER = new Set(['<', '<=']);

/** `["=", n]`, one bound, or a lower bound then an upper bound. */
function numeric(arg: Json, where: string): Test {
  const bad = () => badPattern(`Invalid numeric match at ${where}: use ["=", n], [">", n], [">=", n, "<", m] and the like.`);
  if (!Array.isArray(arg) || (arg.length !== 2 && arg.length !== 4)) throw bad();
  const bounds: [string, number][] = [];
  for (let i = 0; i < arg.length; i += 2) {
    const [op, n] = [arg[i], arg[i + 1]];
    if (typeof op !== 'string' || typeof n !== 'number' || !Number.isFinite(n)) throw bad();
    if (!(op === '=' || LOWER.has(op) || UPPER.has(op))) throw badPattern(`Unrecognized numeric range operator ${op} (at ${where}).`);
    bounds.push([op, n]);
  }
  if (bounds.length === 2 && !(LOWER.has(bounds[0]![0]) && UPPER.has(bounds[1]![0]))) throw bad();
  if (bounds.length === 2 && bounds[0]![1] >= bounds[1]![1]) throw badPattern(`Bottom must be less than top in the numeric range at ${where}.`);
  return {
    accepts: (x) =>
      typeof x === 'number' &&
      bounds.every(([op, n]) => (op === '=' ? x === n : op === '>' ? x > n : op === '>=' ? x >= n : op === '<' ? x < n : x <= n)),
  };
}

function cidr(arg: Json, where: string): Test {
  const m = typeof arg === 'string' ? /^([^/]+)\/(\d{1,3})$/.exec(arg) : null;
  const family = m ? (isIPv4(m[1]!) ? 'ipv4' : isIPv6(m[1]!) ? 'ipv6' : undefined) : undefined;
  const bits = m ? Number(m[2]) : NaN;
  if (!m || !family || bits > (family === 'ipv4' ? 32 : 128)) throw badPattern(`Malformed CIDR at ${where}: ${JSON.stringify(arg)}.`);
  const list = new BlockList();
  list.addSubnet(m[1]!, bits, family);
  return {
    accepts: (x) => typeof x === 'string' && ((isIPv4(x) && family === 'ipv4') || (isIPv6(x) && family === 'ipv6')) && list.check(x, family),
  };
}

/** A value (or list) the field must not be, or an operator it must not satisfy. */
function anythingBut(arg: Json, where: string): Test {
  if (typeof arg === 'string' || typeof arg === 'number') return { accepts: (x) => !isObject(x) && x !== arg };
  if (Array.isArray(arg)) {
    if (arg.length === 0 || !arg.every((a) => typeof a === 'string' || typeof a === 'number')) throw badPattern(`Inside anything-but list, only strings and numbers are allowed (at ${where}).`);
    const set = new Set<Json>(arg);
    return { accepts: (x) => !isObject(x) && !set.has(x) };
  }
  if (!isObject(arg) || Object.keys(arg).length !== 1) throw badPattern(`Value of anything-but must be a string, a number, a list of them, or an operator object (at ${where}).`);
  const [op] = Object.keys(arg) as [string];
  const inner = arg[op] as Json;
  const each = (make: (s: string) => Test): Test => {
    const list = Array.isArray(inner) ? inner : [inner];
    if (list.length === 0 || !list.every((s) => typeof s === 'string')) throw badPattern(`anything-but ${op} takes a string or a list of strings (at ${where}).`);
    const tests = list.map((s) => make(s as string));
    return { accepts: (x) => typeof x === 'string' && !tests.some((t) => t.accepts(x)) };
  };
  switch (op) {
    case 'prefix':
    case 'suffix':
      if (typeof inner !== 'string') throw badPattern(`anything-but ${op} takes a string (at ${where}).`);
      return each((s) => compileTest({ [op]: s }, where));
    case 'equals-ignore-case':
    case 'wildcard':
      return each((s) => compileTest({ [op]: s }, where));
    default:
      throw badPattern(`Unsupported anything-but pattern: ${op} (at ${where}).`);
  }
}

function matchObject(node: ObjectNode, event: JsonObject): boolean {
  for (const [key, sub] of node.fields) {
    const has = Object.prototype.hasOwnProperty.call(event, key);
    if (!matchField(sub, has, event[key] as Json)) return false;
  }
  return node.ors.every((alts) => alts.some((alt) => matchObject(alt, event)));
}

function matchField(node: PatternNode, present: boolean, value: Json): boolean {
  if (node.kind === 'object') {
    if (!present) return false;
    // Arrays in events: the pattern matches when one element does.
    if (Array.isArray(value)) return value.some((v) => isObject(v) && matchObject(node, v));
    return isObject(value) && matchObject(node, value);
  }
  if (!present) return node.tests.some((t) => t.absent);
  const values = Array.isArray(value) ? value : [value];
  return node.tests.some((t) => !t.absent && values.some((v) => t.accepts(v)));
}
