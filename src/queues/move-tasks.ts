import type { Clock, Timer } from '../common/index.js';
import { shortId } from '../common/index.js';
import { badValue, QueueError } from './errors.js';
import { QueueService } from './queue-service.js';

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

export interface MoveTask {
  taskHandle: string;
  status: MoveTaskStatus;
  sourceArn: string;
  destinationArn?: string;
  maxNumberOfMessagesPerSecond?: number;
  moved: number;
  toMove: number;
  startedAt: number;
  failureReason?: string;
}

interface Running extends MoveTask {
  source: string;
  destination?: string;
  cursor: number;
  maxSeq: number;
  timer?: Timer;
}

/** Without a rate, a task moves this many per turn of the event loop, so big queues do not stall it. */
const UNTHROTTLED_BATCH = 500;

/**
 * Dead-letter redrive (SQS's message move tasks): moves a DLQ's messages back to the
 * queues they came from, or to one destination. A task takes the messages present when
 * it starts, at its rate (per second) if given. Task records live in memory: after a
 * restart the history is gone, and unmoved messages are still in the DLQ.
 */
export class MessageMoveTasks {
  private readonly tasks: Running[] = [];

  constructor(
    private readonly queues: QueueService,
    private readonly clock: Clock,
  ) {}

  start(sourceRef: string, options: { destination?: string; maxPerSecond?: number } = {}): MoveTask {
    const source = this.existing(sourceRef, 'SourceArn');
    if (this.queues.deadLetterSources(source).length === 0) throw badValue('Source queue must be configured as a Dead Letter Queue.');
    const destination = options.destination === undefined ? undefined : this.existing(options.destination, 'DestinationArn');
    if (destination === source) throw badValue('The destination queue must differ from the source queue.');
    const rate = options.maxPerSecond;
    if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > 500)) {
      throw badValue(`Value ${rate} for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and 500, if provided.`);
    }
    if (this.tasks.some((t) => t.source === source && t.status === 'RUNNING')) {
      throw new QueueError('UnsupportedOperation', 'A message move task is already running for this source queue; only one may run at a time.');
    }
    const c = this.queues.counts(source);
    const task: Running = {
      taskHandle: Buffer.from(JSON.stringify({ taskId: shortId(16), sourceArn: this.queues.arn(source) })).toString('base64'),
      status: 'RUNNING',
      sourceArn: this.queues.arn(source),
      destinationArn: destination && this.queues.arn(destination),
      maxNumberOfMessagesPerSecond: rate,
      moved: 0,
      toMove: c.visible + c.inflight + c.delayed,
      startedAt: this.clock.now(),
      source,
      destination,
      cursor: 0,
      maxSeq: this.queues.store.maxSeq(source),
    };
    this.tasks.unshift(task);
    task.timer = this.clock.setTimer(0, () => this.step(task));
    return view(task);
  }

  /** The most recent tasks of a source queue, newest first. */
  list(sourceRef: string, max = 1): MoveTask[] {
    const source = this.existing(sourceRef, 'SourceArn');
    if (!Number.isInteger(max) || max < 1 || max > 10) throw badValue(`Value ${max} for parameter MaxResults is invalid. Reason: Must be between 1 and 10, if provided.`);
    return this.tasks.filter((t) => t.source === source).slice(0, max).map(view);
  }

  cancel(taskHandle: string): MoveTask {
    const task = this.tasks.find((t) => t.taskHandle === taskHandle);
    if (!task) throw new QueueError('ResourceNotFoundException', 'The specified message move task does not exist.');
    if (task.status !== 'RUNNING') throw new QueueError('UnsupportedOperation', `The message move task is ${task.status}; only a running task can be cancelled.`);
    task.timer?.cancel();
    task.status = 'CANCELLED';
    return view(task);
  }

  stop(): void {
    for (const t of this.tasks) t.timer?.cancel();
  }

  private step(task: Running): void {
    if (task.status !== 'RUNNING') return;
    try {
      const limit = task.maxNumberOfMessagesPerSecond ?? UNTHROTTLED_BATCH;
      const r = this.queues.redrive(task.source, task.destination, task.cursor, task.maxSeq, limit);
      task.moved += r.moved;
      task.cursor = r.lastSeq;
      if (!r.more) {
        task.status = 'COMPLETED';
        return;
      }
      task.timer = this.clock.setTimer(task.maxNumberOfMessagesPerSecond ? 1000 : 0, () => this.step(task));
    } catch (err) {
      task.status = 'FAILED';
      task.failureReason = err instanceof QueueError ? err.code : 'InternalError';
    }
  }

  private existing(ref: string, param: string): string {
    const name = QueueService.nameOf(ref);
    if (!this.queues.store.getQueue(name)) throw new QueueError('ResourceNotFoundException', `The resource that you specified for the ${param} parameter doesn't exist.`);
    return name;
  }
}

function view(t: Running): MoveTask {
  const { source: _s, destination: _d, cursor: _c, maxSeq: _m, timer: _t, ...task } = t;
  return { ...task };
}
