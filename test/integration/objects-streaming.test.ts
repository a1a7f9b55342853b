/**
 * Objects stream: a 200 MB body generated on the fly is PUT and read back through the
 * real HTTP path while the server's resident memory (its own process) is sampled.
 * Buffering the object anywhere (request, hash, file write, response) would grow it by
 * 200 MB or more; the bound is generous (100 MB: chunks awaiting GC) for a shared machine.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CLI } from '../support/cli.js';

const SIZE = 200 * 1024 * 1024;
const CHUNK = 64 * 1024;

/**
 * A paced source: bytes are made (and hashed) only when fetch pulls. A web stream with
 * `pull`, because Node 20's Readable.toWeb reads ahead without backpressure.
 */
function generated(hash: ReturnType<typeof createHash>): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent >= SIZE) return controller.close();
        const chunk = Buffer.alloc(CHUNK, (sent / CHUNK) & 255);
        sent += CHUNK;
        hash.update(chunk);
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 1 },
  );
}

/** The server's resident set, from /proc: the server runs as its own process. */
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;

describe('object streaming', () => {
  let server: ChildProcess;
  let url = '';
  before(async () => {
    server = spawn(process.execPath, [CLI, 'server', '--port', '0', '--ephemeral', '--prewarm', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    url = await new Promise<string>((ok) => {
      let out = '';
      server.stdout!.on('data', (b: Buffer) => {
        out += b;
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) ok(m[1]!);
      });
    });
    assert.equal((await fetch(`${url}/big-bucket`, { method: 'PUT' })).status, 200);
  });
  after(async () => {
    const exited = new Promise((ok) => server.once('exit', ok));
    server.kill('SIGTERM');
    await exited;
  });

  it('puts and gets a 200 MB object with flat memory', async () => {
    const pid = server.pid!;
    const base = rssOf(pid);
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 20);
    try {
      const expected = createHash('md5');
      const source = generated(expected);
      const put = await fetch(`${url}/big-bucket/blob`, { method: 'PUT', body: source, headers: { 'content-length': String(SIZE) }, duplex: 'half' } as RequestInit);
      assert.equal(put.status, 200, await put.clone().text());
      const md5 = expected.digest('hex');
      assert.equal(put.headers.get('etag'), `"${md5}"`);
      const got = await fetch(`${url}/big-bucket/blob`);
      assert.equal(got.headers.get('content-length'), String(SIZE));
      const actual = createHash('md5');
      let size = 0;
      for await (const c of Readable.fromWeb(got.body as never) as AsyncIterable<Buffer>) {
        size += c.length;
        actual.update(c);
      }
      assert.equal(size, SIZE);
      assert.equal(actual.digest('hex'), md5);
    } finally {
      clearInterval(sampler);
    }
    const growthMb = (peak - base) / 1024 / 1024;
    assert.ok(growthMb < 100, `the server's RSS grew ${growthMb.toFixed(1)} MB while moving 200 MB`);
  });
});
