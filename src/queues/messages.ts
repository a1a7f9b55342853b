import { createHash } from 'node:crypto';
import { badValue, QueueError } from './errors.js';

export interface MessageAttributeValue {
  /** `String`, `Number` or `Binary`, optionally with a custom label (`Number.float`). */
  DataType: string;
  StringValue?: string;
  BinaryValue?: Buffer;
}

export type MessageAttributes = Record<string, MessageAttributeValue>;

const MAX_ATTRIBUTES = 10;
// SQS accepts exactly these characters in bodies and string attribute values.
const INVALID_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export const md5Hex = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

/**
 * MD5OfMessageAttributes as SQS computes it: for each attribute in name order, the
 * name, the data type and the value, each prefixed with its length as a 4-byte
 * big-endian integer, with a transport byte (1 string, 2 binary) before the value.
 */
export function md5OfAttributes(attrs: MessageAttributes): string | undefined {
  const names = Object.keys(attrs).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  const field = (bytes: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    hash.update(len).update(bytes);
  };
  for (const name of names) {
    const a = attrs[name]!;
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(a.DataType, 'utf8'));
    if (a.BinaryValue !== undefined) {
      hash.update(Buffer.from([2]));
      field(a.BinaryValue);
    } else {
      hash.update(Buffer.from([1]));
      field(Buffer.from(a.StringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}

export function checkBody(body: unknown): string {
  if (body === undefined || body === null) throw new QueueError('MissingParameter', 'The request must contain the parameter MessageBody.');
  if (typeof body !== 'string' || body.length === 0) throw badValue('The message body must be a non-empty string.');
  if (INVALID_CHARS.test(body)) {
    throw new QueueError('InvalidMessageContents', 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF');
  }
  return body;
}

/** Validates message attributes as SQS does; returns their size toward the message limit. */
export function checkAttributes(attrs: MessageAttributes): number {
  const names = Object.keys(attrs);
  if (names.length > MAX_ATTRIBUTES) throw badValue(`Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  let size = 0;
  for (const name of names) {
    const a = attrs[name]!;
    if (!/^[A-Za-z0-9_.-]{1,256}$/.test(name) || /^(aws\.|amazon\.)/i.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
      throw badValue(`Message (user) attribute name '${name}' is invalid.`);
    }
    const type = a.DataType;
    if (typeof type !== 'string' || type.length > 256 || !/^(String|Number|Binary)(\..+)?$/.test(type)) {
      throw badValue(`The type of message (user) attribute '${name}' is invalid. Data types are String, Number or Binary, optionally with a custom label.`);
    }
    const base = type.split('.')[0];
    if (base === 'Binary') {
      if (!a.BinaryValue || a.BinaryValue.length === 0 || a.StringValue !== undefined) {
        throw badValue(`Message (user) attribute '${name}' must contain a non-empty value of type 'Binary'.`);
      }
      size += a.BinaryValue.length;
    } else {
      const v = a.StringValue;
      if (typeof v !== 'string' || v.length === 0 || a.BinaryValue !== undefined) {
        throw badValue(`Message (user) attribute '${name}' must contain a non-empty value of type '${base}'.`);
      }
      if (base === 'Number' && (!NUMBER.test(v) || v.replace(/[^0-9]/g, '').length > 38)) {
        throw badValue(`Can't cast the value of message (user) attribute '${name}' to a number.`);
      }
      if (INVALID_CHARS.test(v)) throw badValue(`Message (user) attribute '${name}' contains invalid characters.`);
      size += Buffer.byteLength(v);
    }
    size += Buffer.byteLength(name) + Buffer.byteLength(type);
  }
  return size;
}

/** Picks the attributes a receiver asked for: names, `All`, `.*`, or prefixes like `foo.*`. */
export function selectAttributes(attrs: MessageAttributes, wanted: string[]): MessageAttributes {
  if (wanted.length === 0) return {};
  if (wanted.includes('All') || wanted.includes('.*')) return attrs;
  const out: MessageAttributes = {};
  for (const [name, value] of Object.entries(attrs)) {
    const hit = wanted.some((w) => (w.endsWith('.*') ? name.startsWith(w.slice(0, -1)) : w === name));
    if (hit) out[name] = value;
  }
  return out;
}

/** Stored form: binary values as base64, so a row's JSON round-trips. */
export function encodeAttributes(attrs: MessageAttributes): string | null {
  const names = Object.keys(attrs);
  if (names.length === 0) return null;
  return JSON.stringify(
    Object.fromEntries(names.map((n) => {
      const a = attrs[n]!;
      return [n, a.BinaryValue ? { DataType: a.DataType, BinaryValue: a.BinaryValue.toString('base64') } : { DataType: a.DataType, StringValue: a.StringValue }];
    })),
  );
}

export function decodeAttributes(json: string | null): MessageAttributes {
  if (!json) return {};
  const raw = JSON.parse(json) as Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  const out: MessageAttributes = {};
  for (const [n, a] of Object.entries(raw)) {
    out[n] = a.BinaryValue !== undefined ? { DataType: a.DataType, BinaryValue: Buffer.from(a.BinaryValue, 'base64') } : { DataType: a.DataType, StringValue: a.StringValue };
  }
  return out;
}
