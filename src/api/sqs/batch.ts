import { QueueError } from '../../queues/index.js';
import { type Input, SQS_ERRORS } from './protocol.js';

export interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

/**
 * Runs `each` over a batch's entries after SQS's whole-request checks (count, ids),
 * collecting per-entry successes and failures as the batch operations return them.
 */
export async function runBatch<T>(input: Input, each: (entry: Input, id: string) => T | Promise<T>): Promise<{ Successful: T[]; Failed: BatchFailure[] }> {
  const entries = input.Entries;
  if (entries !== undefined && !Array.isArray(entries)) throw new QueueError('InvalidParameterValue', 'Entries must be a list.');
  const list = (entries ?? []) as Input[];
  if (list.length === 0) throw new QueueError('EmptyBatchRequest', 'There should be at least one entry in the request.');
  if (list.length > 10) throw new QueueError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${list.length}.`);
  const seen = new Set<string>();
  for (const e of list) {
    const id = e?.Id;
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(id)) {
      throw new QueueError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
    }
    if (seen.has(id)) throw new QueueError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    seen.add(id);
  }
  const out = { Successful: [] as T[], Failed: [] as BatchFailure[] };
  for (const e of list) {
    const id = e.Id as string;
    try {
      out.Successful.push(await each(e, id));
    } catch (err) {
      if (!(err instanceof QueueError) || err.code === 'QueueDoesNotExist') throw err;
      out.Failed.push({ Id: id, SenderFault: true, Code: SQS_ERRORS[err.code][1], Message: err.message });
    }
  }
  return out;
}
