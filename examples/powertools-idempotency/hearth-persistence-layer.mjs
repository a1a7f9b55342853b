// A persistence layer for @aws-lambda-powertools/idempotency backed by Hearth's KV store,
// in place of DynamoDB. Copy this file into your function and bundle
// @aws-lambda-powertools/idempotency with it; the KV client comes from Hearth.
//
// The record is one KV item per idempotency key. Powertools' rule for saving a record —
// the key is absent, or its record expired, or it is IN_PROGRESS past its in-progress
// expiry — becomes: a put with `ifAbsent`, else a put with `ifVersion` of the expired
// record that was read, so two concurrent savers can never both win.
import { createRequire } from 'node:module';
import { IdempotencyItemAlreadyExistsError, IdempotencyItemNotFoundError, IdempotencyRecordStatus } from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';

// hearth-kv is CommonJS on NODE_PATH, which only `require` consults.
const { HearthKv, ConditionFailedError } = createRequire(import.meta.url)('hearth-kv');

export class HearthKvPersistenceLayer extends BasePersistenceLayer {
  /** @param {{ table?: string, client?: InstanceType<typeof HearthKv> }} [options] */
  constructor(options = {}) {
    super();
    this.table = options.table ?? 'idempotency';
    this.client = options.client ?? new HearthKv();
  }

  async _getRecord(idempotencyKey) {
    const item = await this.client.get(this.table, idempotencyKey);
    if (!item) throw new IdempotencyItemNotFoundError();
    return toRecord(idempotencyKey, item.value);
  }

  async _putRecord(record) {
    const value = toValue(record);
    try {
      await this.client.put(this.table, record.idempotencyKey, value, { ifAbsent: true, ttl: ttlOf(record) });
      return;
    } catch (err) {
      if (!(err instanceof ConditionFailedError)) throw err;
    }
    const existing = await this.client.get(this.table, record.idempotencyKey);
    if (existing && replaceable(existing.value)) {
      try {
        await this.client.put(this.table, record.idempotencyKey, value, { ifVersion: existing.version, ttl: ttlOf(record) });
        return;
      } catch (err) {
        if (!(err instanceof ConditionFailedError)) throw err;
      }
    }
    const current = existing && (await this.client.get(this.table, record.idempotencyKey));
    throw new IdempotencyItemAlreadyExistsError(
      `Failed to put record for already existing idempotency key: ${record.idempotencyKey}`,
      current ? toRecord(record.idempotencyKey, current.value) : undefined,
    );
  }

  async _updateRecord(record) {
    await this.client.put(this.table, record.idempotencyKey, toValue(record), { ttl: ttlOf(record) });
  }

  async _deleteRecord(record) {
    await this.client.delete(this.table, record.idempotencyKey);
  }
}

function toValue(record) {
  return {
    status: record.getStatus(),
    expiryTimestamp: record.expiryTimestamp,
    inProgressExpiryTimestamp: record.inProgressExpiryTimestamp,
    responseData: record.responseData,
    payloadHash: record.payloadHash,
  };
}

function toRecord(idempotencyKey, v) {
  return new IdempotencyRecord({ idempotencyKey, ...v });
}

/** Powertools' condition for overwriting a record (see DynamoDBPersistenceLayer). */
function replaceable(v) {
  const now = Date.now();
  if (v.expiryTimestamp !== undefined && v.expiryTimestamp < now / 1000) return true;
  return v.status === IdempotencyRecordStatus.INPROGRESS && v.inProgressExpiryTimestamp !== undefined && v.inProgressExpiryTimestamp < now;
}

/** The KV item lives as long as the record (seconds), so expired records are swept. */
function ttlOf(record) {
  if (record.expiryTimestamp === undefined) return undefined;
  return Math.max(1, Math.ceil(record.expiryTimestamp - Date.now() / 1000));
}
