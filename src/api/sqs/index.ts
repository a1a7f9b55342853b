import type { ServerResponse } from 'node:http';
import { requestId } from '../../common/index.js';
import { QueueError } from '../../queues/index.js';
import { type JsonProtocolService, readAwsJsonRequest } from '../aws-json.js';
import type { Request } from '../http.js';
import { cancelMessageMoveTask } from './cancel-message-move-task.js';
import { changeMessageVisibility } from './change-message-visibility.js';
import { changeMessageVisibilityBatch } from './change-message-visibility-batch.js';
import { createQueue } from './create-queue.js';
import { deleteMessage } from './delete-message.js';
import { deleteMessageBatch } from './delete-message-batch.js';
import { deleteQueue } from './delete-queue.js';
import { getQueueAttributes } from './get-queue-attributes.js';
import { getQueueUrl } from './get-queue-url.js';
import { listDeadLetterSourceQueues } from './list-dead-letter-source-queues.js';
import { listMessageMoveTasks } from './list-message-move-tasks.js';
import { listQueues } from './list-queues.js';
import { type Operation, sendSqsError, sendSqsJson, type SqsDeps } from './protocol.js';
import { purgeQueue } from './purge-queue.js';
import { receiveMessage } from './receive-message.js';
import { sendMessage } from './send-message.js';
import { sendMessageBatch } from './send-message-batch.js';
import { setQueueAttributes } from './set-queue-attributes.js';
import { startMessageMoveTask } from './start-message-move-task.js';

export type { SqsDeps } from './protocol.js';
export { SQS_ERRORS } from './protocol.js';

/** The SQS operations Hearth speaks, by their `X-Amz-Target: AmazonSQS.<name>`. */
const OPERATIONS: Record<string, Operation> = {
  CreateQueue: createQueue,
  GetQueueUrl: getQueueUrl,
  ListQueues: listQueues,
  DeleteQueue: deleteQueue,
  GetQueueAttributes: getQueueAttributes,
  SetQueueAttributes: setQueueAttributes,
  PurgeQueue: purgeQueue,
  SendMessage: sendMessage,
  SendMessageBatch: sendMessageBatch,
  ReceiveMessage: receiveMessage,
  DeleteMessage: deleteMessage,
  DeleteMessageBatch: deleteMessageBatch,
  ChangeMessageVisibility: changeMessageVisibility,
  ChangeMessageVisibilityBatch: changeMessageVisibilityBatch,
  ListDeadLetterSourceQueues: listDeadLetterSourceQueues,
  StartMessageMoveTask: startMessageMoveTask,
  ListMessageMoveTasks: listMessageMoveTasks,
  CancelMessageMoveTask: cancelMessageMoveTask,
};

export const SQS_OPERATIONS = Object.keys(OPERATIONS);

/** Bodies of up to ten 1 MiB messages as JSON (escapes and base64 inflate them). */
const BODY_LIMIT = 16 * 1024 * 1024;
const TARGET_PREFIX = 'AmazonSQS.';

/** SQS shares the main port: `POST /` with `X-Amz-Target: AmazonSQS.<Operation>`. */
/** SQS's operations on the main port's `POST /`; it also answers requests naming no known service. */
export const sqsService = (deps: SqsDeps): JsonProtocolService => ({
  prefix: TARGET_PREFIX,
  handle: (req, res) => handle(req, res, deps),
});

async function handle(req: Request, res: ServerResponse, deps: SqsDeps): Promise<void> {
  const id = requestId();
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  try {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (!target.startsWith(TARGET_PREFIX)) {
      req.raw.resume();
      throw new QueueError('InvalidAction', target ? `Hearth does not implement ${target}.` : 'Missing X-Amz-Target: POST / takes SQS JSON-protocol requests (AmazonSQS.<Operation>).');
    }
    const { op, input } = await readAwsJsonRequest(req, TARGET_PREFIX, OPERATIONS, BODY_LIMIT, (kind, message) =>
      new QueueError(kind === 'unknown' ? 'InvalidAction' : 'InvalidParameterValue', message),
    );
    const output = await op(input, { ...deps, host: req.headers.host ?? 'localhost', signal: abort.signal });
    if (res.destroyed) return;
    sendSqsJson(res, 200, output ?? {}, { 'x-amzn-requestid': id });
  } catch (err) {
    sendSqsError(res, err, id);
  }
}
