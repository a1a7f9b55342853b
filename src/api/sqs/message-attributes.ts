import { type MessageAttributes, QueueError } from '../../queues/index.js';
import type { Input } from './protocol.js';

/** MessageAttributes off the wire: binary values arrive base64-encoded. */
export function readMessageAttributes(input: Input): MessageAttributes {
  const raw = input.MessageAttributes;
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new QueueError('InvalidParameterValue', 'MessageAttributes must be a map.');
  const out: MessageAttributes = {};
  for (const [name, v] of Object.entries(raw as Record<string, Input>)) {
    if (!v || typeof v !== 'object') throw new QueueError('InvalidParameterValue', `Message (user) attribute '${name}' must be a structure.`);
    if (v.StringListValues !== undefined || v.BinaryListValues !== undefined) {
      throw new QueueError('InvalidParameterValue', `Message (user) attribute '${name}': StringListValues and BinaryListValues are not implemented (by SQS either).`);
    }
    if (typeof v.DataType !== 'string') throw new QueueError('InvalidParameterValue', `The message attribute '${name}' must contain non-empty message attribute type.`);
    const value: MessageAttributes[string] = { DataType: v.DataType };
    if (v.StringValue !== undefined) value.StringValue = String(v.StringValue);
    if (v.BinaryValue !== undefined) {
      if (typeof v.BinaryValue !== 'string') throw new QueueError('InvalidParameterValue', `Message (user) attribute '${name}': BinaryValue must be base64.`);
      value.BinaryValue = Buffer.from(v.BinaryValue, 'base64');
    }
    out[name] = value;
  }
  return out;
}

export function writeMessageAttributes(attrs: MessageAttributes): Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }> {
  return Object.fromEntries(
    Object.entries(attrs).map(([n, a]) => [n, a.BinaryValue ? { DataType: a.DataType, BinaryValue: a.BinaryValue.toString('base64') } : { DataType: a.DataType, StringValue: a.StringValue ?? '' }]),
  );
}

/**
 * Standard-queue sends refuse what Hearth does not implement: FIFO ids, fair-queue
 * message groups, and system attributes (X-Ray's AWSTraceHeader).
 */
export function refuseUnsupported(input: Input): void {
  for (const name of ['MessageDeduplicationId', 'MessageGroupId', 'MessageSystemAttributes']) {
    if (input[name] !== undefined && input[name] !== null) {
      throw new QueueError('InvalidParameterValue', `Hearth does not support ${name} (standard queues without fair queueing or system attributes).`);
    }
  }
}
