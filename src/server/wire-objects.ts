import { join } from 'node:path';
import { type Clock, parseFunctionRef } from '../common/index.js';
import type { FunctionImages } from '../control/index.js';
import type { AsyncInvoker } from '../events/index.js';
import { BlobFiles, MultipartUploads, ObjectStore } from '../objects/index.js';
import type { SqliteDatabase } from '../store/index.js';
import type { QueuePort } from './wire-events.js';

export interface ObjectsWiring {
  db: SqliteDatabase;
  dataDir: string;
  images: FunctionImages;
  async: AsyncInvoker;
  queues: QueuePort;
  clock: Clock;
  region: string;
}

/**
 * The object store, its bytes under DATA/objects, its storage events delivered as
 * asynchronous invocations (retries, DLQ and destinations apply) or queue messages. Both
 * are rows in the same SQLite database as the object's metadata, so they commit with it.
 */
export function wireObjects(w: ObjectsWiring): { objects: ObjectStore; uploads: MultipartUploads } {
  const objects = new ObjectStore(w.db, new BlobFiles(join(w.dataDir, 'objects')), w.clock, w.region, {
    functionExists(arn) {
      const ref = parseFunctionRef(arn);
      try {
        w.images.target(ref.name, ref.qualifier);
        return true;
      } catch {
        return false;
      }
    },
    queueExists: (arn) => w.queues.exists(arn),
    deliver(destination, message) {
      // A destination deleted after the configuration was stored must not fail the write
      // that already succeeded: the event is dropped and said so, as S3 drops it.
      try {
        if (destination.kind === 'queue') {
          w.queues.send(destination.arn, message);
        } else {
          const ref = parseFunctionRef(destination.arn);
          w.async.enqueue(ref.name, ref.qualifier, message);
        }
      } catch (err) {
        console.error(`hearth: storage event to ${destination.arn} dropped: ${(err as Error).message}`);
      }
    },
  });
  return { objects, uploads: new MultipartUploads(objects) };
}
