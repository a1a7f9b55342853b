/**
 * Evaluates intrinsic functions with the semantics of Step Functions' documentation.
 * Every misuse (wrong argument count or type, bad JSON, out-of-range values) raises
 * States.IntrinsicFailure. Randomness (States.UUID, States.MathRandom without a seed)
 * comes from the caller's `draw`, which the executor derives from the execution's seed
 * so a replay computes the same values.
 */
import { createHash } from 'node:crypto';
import { seededRandom } from '../common/index.js';
import { INTRINSIC_FAILURE, StatesError } from './errors.js';
import type { IntrinsicArg } from './intrinsic-parser.js';
import { queryPath } from './json-path.js';
import type { Json, JsonObject } from './types.js';

export interface IntrinsicEnv {
  input: Json;
  context: Json;
  /** A number in [0, 1). */
  draw(): number;
}

const fail = (name: string, why: string): never => {
  throw new StatesError(INTRINSIC_FAILURE, `${name}: ${why}`);
};

/** Step Functions caps the string argument of the Base64 and Hash functions. */
const MAX_STRING_ARG = 10_000;
/** States.ArrayRange may produce at most this many items. */
const MAX_RANGE_ITEMS = 1000;
const HASH_ALGORITHMS: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

export function evaluateIntrinsic(node: IntrinsicArg, env: IntrinsicEnv): Json {
  if (node.kind === 'literal') return node.value;
  if (node.kind === 'path') {
    const v = queryPath(node.path, env.input, env.context);
    if (v === undefined) fail('path', `'${node.path}' matched nothing`);
    return v!;
  }
  const args = node.args.map((a) => evaluateIntrinsic(a, env));
  return apply(node.name, args, node.args, env);
}

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep equality of JSON values (ArrayContains, ArrayUnique). */
export function jsonEquals(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEquals(x, b[i]!));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && jsonEquals(a[k]!, b[k]!));
  }
  return false;
}

function apply(name: string, args: Json[], nodes: IntrinsicArg[], env: IntrinsicEnv): Json {
  const count = (min: number, max = min) => {
    if (args.length < min || args.length > max) fail(name, `takes ${min === max ? min : `${min} to ${max}`} arguments, got ${args.length}`);
  };
  const str = (i: number): string => (typeof args[i] === 'string' ? (args[i] as string) : fail(name, `argument ${i + 1} must be a string`));
  const arr = (i: number): Json[] => (Array.isArray(args[i]) ? (args[i] as Json[]) : fail(name, `argument ${i + 1} must be an array`));
  const int = (i: number): number => (Number.isInteger(args[i]) ? (args[i] as number) : fail(name, `argument ${i + 1} must be an integer`));
  const limited = (i: number) => {
    const s = str(i);
    if (s.length > MAX_STRING_ARG) fail(name, `argument ${i + 1} is longer than ${MAX_STRING_ARG} characters`);
    return s;
  };
  switch (name) {
    case 'States.Format':
      return format(args, nodes[0]);
    case 'States.StringToJson':
      count(1);
      try {
        return JSON.parse(str(0)) as Json;
      } catch {
        return fail(name, 'argument is not valid JSON');
      }
    case 'States.JsonToString':
      count(1);
      return JSON.stringify(args[0]);
    case 'States.Array':
      return args;
    case 'States.ArrayPartition': {
      count(2);
      const items = arr(0);
      const size = int(1);
      if (size <= 0) fail(name, 'the chunk size must be a positive integer');
      const out: Json[] = [];
      for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
      return out;
    }
    case 'States.ArrayContains':
      count(2);
      return arr(0).some((x) => jsonEquals(x, args[1]!));
    case 'States.ArrayRange': {
      count(3);
      const [start, end, step] = [int(0), int(1), int(2)];
      if (step === 0) fail(name, 'the step must not be 0');
      const out: number[] = [];
      for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
        if (out.length === MAX_RANGE_ITEMS) fail(name, `the range has more than ${MAX_RANGE_ITEMS} items`);
        out.push(v);
      }
      return out;
    }
    case 'States.ArrayGetItem': {
      count(2);
      const items = arr(0);
      const i = int(1);
      if (i < 0 || i >= items.length) fail(name, `index ${i} is out of bounds for an array of ${items.length}`);
      return items[i]!;
    }
    case 'States.ArrayLength':
      count(1);
      return arr(0).length;
    case 'States.ArrayUnique': {
      count(1);
      const out: Json[] = [];
      for (const x of arr(0)) if (!out.some((y) => jsonEquals(x, y))) out.push(x);
      return out;
    }
    case 'States.Base64Encode':
      count(1);
      return Buffer.from(limited(0), 'utf8').toString('base64');
    case 'States.Base64Decode': {
      count(1);
      const s = limited(0);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) fail(name, 'argument is not base64');
      return Buffer.from(s, 'base64').toString('utf8');
    }
    case 'States.Hash': {
      count(2);
      const algorithm = HASH_ALGORITHMS[str(1)] ?? fail(name, `algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
      const data = typeof args[0] === 'string' ? limited(0) : JSON.stringify(args[0]);
      return createHash(algorithm).update(data, 'utf8').digest('hex');
    }
    case 'States.JsonMerge': {
      count(3);
      const [a, b, deep] = args;
      if (!isObject(a!) || !isObject(b!)) fail(name, 'the first two arguments must be JSON objects');
      // Step Functions supports only the shallow merge: the third argument must be false.
      if (deep !== false) fail(name, 'only a shallow merge is supported: the third argument must be false');
      return { ...(a as JsonObject), ...(b as JsonObject) };
    }
    case 'States.MathRandom': {
      count(2, 3);
      const [start, end] = [int(0), int(1)];
      if (end <= start) fail(name, 'the end must be greater than the start');
      const r = args.length === 3 ? seededRandom(int(2)).next() : env.draw();
      return start + Math.floor(r * (end - start));
    }
    case 'States.MathAdd':
      count(2);
      return int(0) + int(1);
    case 'States.StringSplit': {
      count(2);
      const [s, delimiters] = [str(0), str(1)];
      // Each character of the second argument is a delimiter; empty pieces are dropped.
      if (delimiters.length === 0) return [s];
      const parts: string[] = [];
      let cur = '';
      for (const ch of s) {
        if (delimiters.includes(ch)) {
          parts.push(cur);
          cur = '';
        } else cur += ch;
      }
      parts.push(cur);
      return parts.filter((p) => p !== '');
    }
    case 'States.UUID':
      count(0);
      return uuid(env.draw);
    default:
      return fail(name, 'unknown intrinsic function');
  }
}

/** `{}` placeholders take the arguments in order; `\{` and `\}` in a literal are braces. */
function format(args: Json[], templateNode: IntrinsicArg | undefined): Json {
  const name = 'States.Format';
  if (args.length === 0 || typeof args[0] !== 'string') return fail(name, 'the first argument must be a string');
  const template = templateNode?.kind === 'literal' && templateNode.raw !== undefined ? templateNode.raw : (args[0] as string);
  const values = args.slice(1);
  let out = '';
  let used = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '\\' && i + 1 < template.length) {
      out += template[++i];
    } else if (c === '{' && template[i + 1] === '}') {
      if (used >= values.length) fail(name, 'more placeholders than arguments');
      const v = values[used++]!;
      if (typeof v === 'object' && v !== null) fail(name, 'arguments must be strings, numbers, booleans or null');
      out += typeof v === 'string' ? v : JSON.stringify(v);
      i++;
    } else out += c;
  }
  if (used !== values.length) fail(name, 'more arguments than placeholders');
  return out;
}

function uuid(draw: () => number): string {
  const bytes = Array.from({ length: 16 }, () => Math.floor(draw() * 256));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
