/**
 * Queues end to end on a real server: durable across a restart on the same data
 * directory, one receiver per message within a visibility window under many parallel
 * receivers, and the `hearth queue` commands.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { hearthCli, startServerProcess } from '../support/cli.js';
import { startTestHearth } from '../support/hearth.js';
import { sqsClient } from '../support/sqs.js';

describe('queues on a real server', () => {
  it('keeps queues, messages and in-flight state across a restart on the same data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hearth-queues-restart-'));
    try {
      const first = await startTestHearth({ ephemeral: false, dataDir });
      const a = sqsClient(first);
      const { QueueUrl } = await a.send(new CreateQueueCommand({ QueueName: 'durable', Attributes: { VisibilityTimeout: '600' } }));
      await a.send(new SendMessageCommand({ QueueUrl, MessageBody: 'in flight' }));
      const inflight = await a.send(new ReceiveMessageCommand({ QueueUrl }));
      await a.send(new SendMessageCommand({ QueueUrl, MessageBody: 'survives', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }));
      a.destroy();
      await first.stop();

      const second = await startTestHearth({ ephemeral: false, dataDir });
      const b = sqsClient(second);
      try {
        const url = `${second.url}/000000000000/durable`;
        const { Attributes } = await b.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
        assert.equal(Attributes?.VisibilityTimeout, '600');
        assert.equal(Attributes?.ApproximateNumberOfMessages, '1');
        assert.equal(Attributes?.ApproximateNumberOfMessagesNotVisible, '1', 'the in-flight message stays hidden across the restart');
        const { Messages } = await b.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
        assert.deepEqual(Messages?.map((m) => m.Body), ['survives']);
        assert.equal(Messages?.[0]?.MessageAttributes?.k?.StringValue, 'v');
        // A receipt handle from before the restart still deletes its message.
        await b.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: inflight.Messages![0]!.ReceiptHandle }));
        const after = await b.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }));
        assert.equal(after.Attributes?.ApproximateNumberOfMessagesNotVisible, '1', 'only the one just received is in flight');
      } finally {
        b.destroy();
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('delivers each message to one receiver only among many parallel long-polling receivers', async () => {
    const h = await startTestHearth();
    const clients = Array.from({ length: 8 }, () => sqsClient(h));
    try {
      const { QueueUrl } = await clients[0]!.send(new CreateQueueCommand({ QueueName: 'contended', Attributes: { VisibilityTimeout: '300' } }));
      const total = 300;
      const seen: string[] = [];
      let done = false;
      // 32 receivers poll at once while the messages are being sent.
      const receivers = Array.from({ length: 32 }, async (_, i) => {
        const c = clients[i % clients.length]!;
        while (!done) {
          const { Messages = [] } = await c.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
          seen.push(...Messages.map((m) => m.MessageId!));
          if (seen.length >= total) done = true;
        }
      });
      for (let i = 0; i < total; i += 10) {
        await clients[1]!.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: 10 }, (_, j) => ({ Id: `e${j}`, MessageBody: `m${i + j}` })) }));
      }
      const timeout = setTimeout(() => (done = true), 30_000);
      await Promise.all(receivers);
      clearTimeout(timeout);
      assert.equal(seen.length, total, 'every message was received exactly once');
      assert.equal(new Set(seen).size, total, 'no message went to two receivers');
    } finally {
      for (const c of clients) c.destroy();
      await h.stop();
    }
  });

  it('hearth queue create / send / receive / ls / purge / redrive', async () => {
    const server = await startServerProcess(['--port', '0', '--ephemeral']);
    const cli = async (...args: string[]) => {
      const r = await hearthCli(args, server.url);
      assert.equal(r.code, 0, `hearth ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    try {
      assert.match(await cli('queue', 'create', 'dead'), /\/000000000000\/dead$/m);
      await cli('queue', 'create', 'jobs', '--visibility-timeout', '0', '--dlq', 'dead', '--max-receive-count', '1');
      const id = (await cli('queue', 'send', 'jobs', 'hello world')).trim();
      assert.match(id, /^[0-9a-f-]{36}$/);
      assert.match(await cli('queue', 'ls'), /^jobs\s+1\s+0\s+0\s+dead$/m);

      const got = await cli('queue', 'receive', 'jobs', '--max', '10');
      assert.equal(got.trim(), `${id}  1  hello world`);
      // Received once already: the next receive dead-letters it.
      const none = await hearthCli(['queue', 'receive', 'jobs'], server.url);
      assert.equal(none.stdout, '');
      assert.equal(none.stderr, 'no messages\n');
      assert.match(await cli('queue', 'ls'), /^dead\s+1\s+0\s+0\s+-$/m);

      assert.equal((await cli('queue', 'redrive', 'dead')).trim(), 'moved 1 messages from dead');
      assert.equal((await cli('queue', 'receive', 'jobs', '--delete')).trim(), `${id}  1  hello world`);
      assert.match(await cli('queue', 'ls'), /^jobs\s+0\s+0\s+0\s+dead$/m);

      await cli('queue', 'send', 'dead', 'x');
      assert.equal((await cli('queue', 'purge', 'dead')).trim(), 'purged dead');
      assert.match(await cli('queue', 'ls'), /^dead\s+0\s+0\s+0\s+-$/m);

      const missing = await hearthCli(['queue', 'send', 'nope', 'x'], server.url);
      assert.equal(missing.code, 2);
      assert.equal(missing.stderr, 'hearth: QueueDoesNotExist: The specified queue does not exist.\n');
      const bad = await hearthCli(['queue', 'create', 'x', '--visibility-timeout', '99999'], server.url);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /^hearth: InvalidAttributeValue: Invalid value for the parameter VisibilityTimeout\..*\n$/);
    } finally {
      await server.kill();
    }
  });
});
