import { randomBytes, randomUUID } from 'node:crypto';

/** A request id in Lambda's shape (a UUID). */
export const requestId = (): string => randomUUID();

/** A short random hex id, e.g. for environments and log streams. */
export const shortId = (bytes = 8): string => randomBytes(bytes).toString('hex');
