/**
 * The JSONPath subset of Step Functions' JSONPath query language: `$` (the input) and `$$`
 * (the context object), `.name`, `['name']`, `[n]` (negative counts from the end), `[*]`
 * and `.*`, `[a,b]` unions and `[start:end]` slices. A path with none of the last three is
 * definite and yields one value; otherwise it yields the array of matches, as Jayway
 * JSONPath (which Step Functions uses) does. Filters `[?()]` and `..` are not supported
 * and are refused at validation, so nothing silently differs.
 */
import type { Json, JsonObject } from './types.js';

export type Segment =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'union'; indices: number[] }
  | { kind: 'slice'; start?: number; end?: number };

export interface ParsedPath {
  context: boolean;
  segments: Segment[];
  definite: boolean;
}

const cache = new Map<string, ParsedPath>();

/** Parses a path; throws an Error with a readable message when it is not in the subset. */
export function parsePath(path: string): ParsedPath {
  const hit = cache.get(path);
  if (hit) return hit;
  if (!path.startsWith('$')) throw new Error(`path '${path}' must start with '$'`);
  const context = path.startsWith('$$');
  let i = context ? 2 : 1;
  const segments: Segment[] = [];
  const fail = (why: string): never => {
    throw new Error(`path '${path}' is not supported: ${why} at position ${i}`);
  };
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      if (path[i + 1] === '.') fail("deep scan '..'");
      if (path[i + 1] === '*') {
        segments.push({ kind: 'wildcard' });
        i += 2;
        continue;
      }
      const m = /^[^.[\]\s]+/.exec(path.slice(i + 1));
      if (!m) fail('empty field name');
      segments.push({ kind: 'field', name: m![0] });
      i += 1 + m![0].length;
    } else if (c === '[') {
      const close = findClose(path, i);
      if (close < 0) fail("unclosed '['");
      const body = path.slice(i + 1, close).trim();
      segments.push(bracket(body, fail));
      i = close + 1;
    } else {
      fail(`unexpected '${c}'`);
    }
  }
  const definite = segments.every((s) => s.kind === 'field' || s.kind === 'index');
  const parsed = { context, segments, definite };
  cache.set(path, parsed);
  return parsed;
}

function findClose(path: string, open: number): number {
  let quote: string | undefined;
  for (let j = open + 1; j < path.length; j++) {
    const ch = path[j];
    if (quote) {
      if (ch === '\\') j++;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === ']') return j;
  }
  return -1;
}

function bracket(body: string, fail: (why: string) => never): Segment {
  if (body === '*') return { kind: 'wildcard' };
  if (body.startsWith('?')) return fail('filter expressions');
  const quoted = /^(['"])(.*)\1$/s.exec(body);
  if (quoted) return { kind: 'field', name: quoted[2]!.replace(/\\(.)/g, '$1') };
  if (/^-?\d+$/.test(body)) return { kind: 'index', index: Number(body) };
  if (/^-?\d+(\s*,\s*-?\d+)+$/.test(body)) return { kind: 'union', indices: body.split(',').map((s) => Number(s.trim())) };
  const slice = /^(-?\d+)?\s*:\s*(-?\d+)?$/.exec(body);
  if (slice) {
    const seg: Segment = { kind: 'slice' };
    if (slice[1] !== undefined) seg.start = Number(slice[1]);
    if (slice[2] !== undefined) seg.end = Number(slice[2]);
    return seg;
  }
  return fail(`bracket '[${body}]'`);
}

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (arr: Json[], index: number) => arr[index < 0 ? arr.length + index : index];

/** Every value the segments reach from `root`, in document order. */
function walk(root: Json, segments: Segment[]): Json[] {
  let current: Json[] = [root];
  for (const seg of segments) {
    const next: Json[] = [];
    for (const v of current) {
      if (seg.kind === 'field') {
        if (isObject(v) && Object.prototype.hasOwnProperty.call(v, seg.name)) next.push(v[seg.name]!);
      } else if (seg.kind === 'index') {
        if (Array.isArray(v)) {
          const x = at(v, seg.index);
          if (x !== undefined) next.push(x);
        }
      } else if (seg.kind === 'wildcard') {
        if (Array.isArray(v)) next.push(...v);
        else if (isObject(v)) next.push(...Object.values(v));
      } else if (seg.kind === 'union') {
        if (Array.isArray(v)) for (const i of seg.indices) if (at(v, i) !== undefined) next.push(at(v, i)!);
      } else if (Array.isArray(v)) {
        next.push(...v.slice(seg.start ?? 0, seg.end ?? v.length));
      }
    }
    current = next;
  }
  return current;
}

/**
 * The value of a path, or undefined when a definite path reaches nothing. An indefinite
 * path always yields an array (possibly empty).
 */
export function queryPath(path: string, input: Json, context: Json): Json | undefined {
  const p = parsePath(path);
  const found = walk(p.context ? context : input, p.segments);
  return p.definite ? found[0] : found;
}

/** Whether a definite path reaches a value (Choice's IsPresent). */
export function pathExists(path: string, input: Json, context: Json): boolean {
  const p = parsePath(path);
  return walk(p.context ? context : input, p.segments).length > 0;
}

/** Whether a string is a reference path: definite, so it can be written to (ResultPath). */
export function isReferencePath(path: string): boolean {
  try {
    const p = parsePath(path);
    return p.definite && !p.context;
  } catch {
    return false;
  }
}

/**
 * Writes `value` at a reference path inside a copy of `target`, creating objects for
 * missing fields. Throws an Error when the path crosses a value that is not an object
 * (an array index must exist), which callers report as States.ResultPathMatchFailure.
 */
export function setPath(target: Json, path: string, value: Json): Json {
  const { segments } = parsePath(path);
  if (segments.length === 0) return value;
  return setAt(target, segments, 0, value, path);
}

function setAt(node: Json | undefined, segs: Segment[], k: number, value: Json, path: string): Json {
  const seg = segs[k]!;
  const last = k === segs.length - 1;
  if (seg.kind === 'field') {
    if (node !== undefined && !isObject(node)) throw new Error(`ResultPath '${path}' crosses a non-object at '${seg.name}'`);
    const obj: JsonObject = { ...(node ?? {}) };
    obj[seg.name] = last ? value : setAt(obj[seg.name], segs, k + 1, value, path);
    return obj;
  }
  if (seg.kind === 'index' && Array.isArray(node)) {
    const i = seg.index < 0 ? node.length + seg.index : seg.index;
    if (i < 0 || i >= node.length) throw new Error(`ResultPath '${path}' indexes past the array's end`);
    const arr = [...node];
    arr[i] = last ? value : setAt(arr[i], segs, k + 1, value, path);
    return arr;
  }
  throw new Error(`ResultPath '${path}' cannot be written into the state input`);
}
