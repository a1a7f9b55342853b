import { QueueError } from '../../queues/index.js';

export const noQueueError = () => new QueueError('QueueDoesNotExist', 'The specified queue does not exist.');
