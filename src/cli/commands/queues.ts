import type { Command } from 'commander';
import { CliError, type HearthClient } from '../client.js';
import { integer } from '../options.js';

interface Message {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  Attributes?: Record<string, string>;
}

interface MoveTask {
  Status: string;
  ApproximateNumberOfMessagesMoved: number;
  FailureReason?: string;
}

const ACCOUNT = '000000000000';
const arn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;

/** One SQS JSON-protocol call. */
const sqs = <T>(client: HearthClient, operation: string, input: Record<string, unknown>) =>
  client.awsJson<T>(`AmazonSQS.${operation}`, 'application/x-amz-json-1.0', input);

function print(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

export function queueCommands(program: Command, client: () => HearthClient): void {
  const queue = program.command('queue').description('SQS-compatible standard queues (also reachable with the AWS SDK and aws CLI)');
  const url = (name: string) => `${client().endpoint}/${ACCOUNT}/${encodeURIComponent(name)}`;

  queue
    .command('create <name>')
    .description("create a queue (or confirm an identical one exists); prints its URL")
    .option('--visibility-timeout <seconds>', 'how long a received message stays hidden (0-43200, default 30)', integer('--visibility-timeout'))
    .option('--retention <seconds>', 'how long messages are kept (60-1209600, default 345600)', integer('--retention'))
    .option('--delay <seconds>', 'delivery delay of new messages (0-900)', integer('--delay'))
    .option('--wait <seconds>', 'default long-poll time of receives (0-20)', integer('--wait'))
    .option('--dlq <name>', 'dead-letter queue for messages received too often (needs --max-receive-count)')
    .option('--max-receive-count <n>', 'receives before a message moves to the --dlq (1-1000)', integer('--max-receive-count'))
    .action(async (name: string, o: { visibilityTimeout?: number; retention?: number; delay?: number; wait?: number; dlq?: string; maxReceiveCount?: number }) => {
      if ((o.dlq === undefined) !== (o.maxReceiveCount === undefined)) throw new CliError('--dlq and --max-receive-count go together');
      const Attributes: Record<string, string> = {};
      if (o.visibilityTimeout !== undefined) Attributes.VisibilityTimeout = String(o.visibilityTimeout);
      if (o.retention !== undefined) Attributes.MessageRetentionPeriod = String(o.retention);
      if (o.delay !== undefined) Attributes.DelaySeconds = String(o.delay);
      if (o.wait !== undefined) Attributes.ReceiveMessageWaitTimeSeconds = String(o.wait);
      if (o.dlq !== undefined) Attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: arn(o.dlq), maxReceiveCount: o.maxReceiveCount });
      const r = await sqs<{ QueueUrl: string }>(client(), 'CreateQueue', { QueueName: name, Attributes });
      console.log(r.QueueUrl);
    });

  queue
    .command('send <name> <body>')
    .description('send one message; prints its message id')
    .option('--delay <seconds>', 'deliver after this many seconds (0-900)', integer('--delay'))
    .action(async (name: string, body: string, o: { delay?: number }) => {
      const r = await sqs<{ MessageId: string }>(client(), 'SendMessage', { QueueUrl: url(name), MessageBody: body, DelaySeconds: o.delay });
      console.log(r.MessageId);
    });

  queue
    .command('receive <name>')
    .description('receive messages (hidden for the visibility timeout, not deleted unless --delete); one line each: id, receive count, body')
    .option('--max <n>', 'up to this many messages (1-10)', integer('--max'), 1)
    .option('--wait <seconds>', 'long-poll up to this long for the first message (0-20)', integer('--wait'))
    .option('--visibility-timeout <seconds>', 'hide the received messages this long', integer('--visibility-timeout'))
    .option('--delete', 'delete the messages once printed')
    .action(async (name: string, o: { max: number; wait?: number; visibilityTimeout?: number; delete?: boolean }) => {
      const c = client();
      const r = await sqs<{ Messages?: Message[] }>(c, 'ReceiveMessage', {
        QueueUrl: url(name),
        MaxNumberOfMessages: o.max,
        WaitTimeSeconds: o.wait,
        VisibilityTimeout: o.visibilityTimeout,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      });
      const messages = r.Messages ?? [];
      if (messages.length === 0) process.stderr.write('no messages\n');
      for (const m of messages) console.log(`${m.MessageId}  ${m.Attributes?.ApproximateReceiveCount ?? '?'}  ${m.Body}`);
      if (o.delete && messages.length > 0) {
        await sqs(c, 'DeleteMessageBatch', { QueueUrl: url(name), Entries: messages.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle })) });
      }
    });

  queue
    .command('ls')
    .description('list queues with approximate message counts')
    .action(async () => {
      const c = client();
      const rows = [['NAME', 'VISIBLE', 'IN FLIGHT', 'DELAYED', 'DEAD-LETTER QUEUE']];
      let token: string | undefined;
      do {
        const page = await sqs<{ QueueUrls?: string[]; NextToken?: string }>(c, 'ListQueues', { MaxResults: 1000, NextToken: token });
        for (const u of page.QueueUrls ?? []) {
          const { Attributes: a = {} } = await sqs<{ Attributes?: Record<string, string> }>(c, 'GetQueueAttributes', { QueueUrl: u, AttributeNames: ['All'] });
          const dlq = a.RedrivePolicy ? (JSON.parse(a.RedrivePolicy) as { deadLetterTargetArn: string }).deadLetterTargetArn.split(':').pop()! : '-';
          rows.push([u.split('/').pop()!, a.ApproximateNumberOfMessages ?? '?', a.ApproximateNumberOfMessagesNotVisible ?? '?', a.ApproximateNumberOfMessagesDelayed ?? '?', dlq]);
        }
        token = page.NextToken;
      } while (token);
      print(rows);
    });

  queue
    .command('purge <name>')
    .description('delete every message in a queue')
    .action(async (name: string) => {
      await sqs(client(), 'PurgeQueue', { QueueUrl: url(name) });
      console.log(`purged ${name}`);
    });

  queue
    .command('rm <name>')
    .description('delete a queue and its messages')
    .action(async (name: string) => {
      await sqs(client(), 'DeleteQueue', { QueueUrl: url(name) });
      console.log(`deleted ${name}`);
    });

  queue
    .command('redrive <dlq>')
    .description("move a dead-letter queue's messages back to the queues they came from (or --to one queue); waits until done")
    .option('--to <name>', 'move them all to this queue instead')
    .action(async (dlq: string, o: { to?: string }) => {
      const c = client();
      await sqs(c, 'StartMessageMoveTask', { SourceArn: arn(dlq), DestinationArn: o.to === undefined ? undefined : arn(o.to) });
      for (;;) {
        const { Results = [] } = await sqs<{ Results?: MoveTask[] }>(c, 'ListMessageMoveTasks', { SourceArn: arn(dlq), MaxResults: 1 });
        const t = Results[0];
        if (t && t.Status !== 'RUNNING') {
          if (t.Status !== 'COMPLETED') throw new CliError(`redrive ${t.Status.toLowerCase()}${t.FailureReason ? `: ${t.FailureReason}` : ''} after ${t.ApproximateNumberOfMessagesMoved} messages`);
          console.log(`moved ${t.ApproximateNumberOfMessagesMoved} messages from ${dlq}`);
          return;
        }
        await new Promise((ok) => setTimeout(ok, 100));
      }
    });
}
