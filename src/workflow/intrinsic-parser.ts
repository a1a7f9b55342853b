/**
 * Parses an intrinsic function call (`States.Format('{} x', $.a)`) into a tree. Arguments
 * are string literals in single quotes, numbers, booleans, null, paths (`$…`, `$$…`) and
 * nested calls. A string literal keeps its raw text too, because States.Format treats
 * `\{` and `\}` as literal braces, not placeholders.
 */
import { parsePath } from './json-path.js';

export type IntrinsicArg =
  | { kind: 'literal'; value: string | number | boolean | null; raw?: string }
  | { kind: 'path'; path: string }
  | { kind: 'call'; name: string; args: IntrinsicArg[] };

export const INTRINSIC_NAMES = new Set([
  'States.Format',
  'States.StringToJson',
  'States.JsonToString',
  'States.Array',
  'States.ArrayPartition',
  'States.ArrayContains',
  'States.ArrayRange',
  'States.ArrayGetItem',
  'States.ArrayLength',
  'States.ArrayUnique',
  'States.Base64Encode',
  'States.Base64Decode',
  'States.Hash',
  'States.JsonMerge',
  'States.MathRandom',
  'States.MathAdd',
  'States.StringSplit',
  'States.UUID',
]);

/** Step Functions allows up to 10 nested intrinsics within one field. */
const MAX_NESTING = 10;

/** Whether a `.$` value is an intrinsic call rather than a path. */
export const looksIntrinsic = (text: string) => /^States\.[A-Za-z0-9]+\s*\(/.test(text.trim());

export function parseIntrinsic(text: string): Extract<IntrinsicArg, { kind: 'call' }> {
  const p = new Parser(text.trim());
  const call = p.call(1);
  p.skipSpace();
  if (!p.atEnd()) p.fail('unexpected text after the call');
  return call;
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  atEnd = () => this.i >= this.s.length;

  fail(why: string): never {
    throw new Error(`intrinsic '${this.s}': ${why} at position ${this.i}`);
  }

  skipSpace(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  call(depth: number): Extract<IntrinsicArg, { kind: 'call' }> {
    if (depth > MAX_NESTING) this.fail(`more than ${MAX_NESTING} nested intrinsic functions`);
    const m = /^States\.[A-Za-z0-9]+/.exec(this.s.slice(this.i));
    if (!m) this.fail('expected an intrinsic function name');
    const name = m![0];
    if (!INTRINSIC_NAMES.has(name)) this.fail(`unknown intrinsic function '${name}'`);
    this.i += name.length;
    this.skipSpace();
    if (this.s[this.i] !== '(') this.fail("expected '('");
    this.i++;
    const args: IntrinsicArg[] = [];
    this.skipSpace();
    if (this.s[this.i] === ')') {
      this.i++;
      return { kind: 'call', name, args };
    }
    for (;;) {
      this.skipSpace();
      args.push(this.arg(depth));
      this.skipSpace();
      const c = this.s[this.i];
      this.i++;
      if (c === ')') return { kind: 'call', name, args };
      if (c !== ',') this.fail("expected ',' or ')'");
    }
  }

  private arg(depth: number): IntrinsicArg {
    const rest = this.s.slice(this.i);
    if (rest.startsWith("'")) return this.string();
    if (rest.startsWith('States.')) return this.call(depth + 1);
    if (rest.startsWith('$')) return this.path();
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rest);
    if (num) {
      this.i += num[0].length;
      return { kind: 'literal', value: Number(num[0]) };
    }
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (rest.startsWith(word)) {
        this.i += word.length;
        return { kind: 'literal', value };
      }
    }
    return this.fail('expected an argument');
  }

  private string(): IntrinsicArg {
    const start = ++this.i;
    let value = '';
    while (this.i < this.s.length && this.s[this.i] !== "'") {
      if (this.s[this.i] === '\\') {
        this.i++;
        if (this.i >= this.s.length) break;
      }
      value += this.s[this.i];
      this.i++;
    }
    if (this.s[this.i] !== "'") this.fail('unterminated string');
    const raw = this.s.slice(start, this.i);
    this.i++;
    return { kind: 'literal', value, raw };
  }

  /** A path runs to the next top-level ',' or ')', skipping brackets and quoted names. */
  private path(): IntrinsicArg {
    const start = this.i;
    let depth = 0;
    let quote: string | undefined;
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (quote) {
        if (c === '\\') this.i++;
        else if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[') depth++;
      else if (c === ']') depth--;
      else if (depth === 0 && (c === ',' || c === ')')) break;
      this.i++;
    }
    const path = this.s.slice(start, this.i).trim();
    try {
      parsePath(path);
    } catch (e) {
      this.fail((e as Error).message);
    }
    return { kind: 'path', path };
  }
}
