import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

const OBJECTS = 8;
const BYTES = 32 * 2 ** 20;
const CHUNK = 64 * 1024;

/** One object's bytes as a stream of 64 KB chunks, never held whole. */
function body(chunk: Buffer): Readable {
  const chunks = BYTES / CHUNK;
  return Readable.from((function* () { for (let c = 0; c < chunks; c++) yield chunk; })());
}

/** PutObject and GetObject MB/s through the S3 API, against plain files of the same bytes. */
export async function objectBench(base: string, dir: string): Promise<{ what: string; hearth: number; raw: number; unit: string }[]> {
  const s3 = new S3Client({ endpoint: base, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  const chunk = Buffer.alloc(CHUNK, 7);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
    let started = performance.now();
    for (let o = 0; o < OBJECTS; o++) {
      await s3.send(new PutObjectCommand({ Bucket: 'bench', Key: `o${o}`, Body: body(chunk), ContentLength: BYTES }));
    }
    const put = (OBJECTS * BYTES) / 2 ** 20 / ((performance.now() - started) / 1000);
    started = performance.now();
    for (let o = 0; o < OBJECTS; o++) {
      const out = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: `o${o}` }));
      let got = 0;
      for await (const c of out.Body as Readable) got += (c as Buffer).length;
      if (got !== BYTES) throw new Error(`object o${o}: ${got} bytes back, ${BYTES} expected`);
    }
    const get = (OBJECTS * BYTES) / 2 ** 20 / ((performance.now() - started) / 1000);
    const raw = await rawFiles(dir, OBJECTS, BYTES, chunk);
    return [
      { what: `PutObject ${OBJECTS} × 32 MB`, hearth: put, raw: raw.write, unit: 'MB/s' },
      { what: `GetObject ${OBJECTS} × 32 MB`, hearth: get, raw: raw.read, unit: 'MB/s' },
    ];
  } finally {
    s3.destroy();
  }
}

/** Plain-file baseline for the object rows: the same bytes written and read on the same disk. */
async function rawFiles(dir: string, objects: number, bytes: number, chunk: Buffer): Promise<{ write: number; read: number }> {
  const chunks = bytes / chunk.length;
  let started = performance.now();
  for (let o = 0; o < objects; o++) {
    await pipeline(Readable.from((function* () { for (let c = 0; c < chunks; c++) yield chunk; })()), createWriteStream(join(dir, `raw-${o}`)));
  }
  const write = (objects * bytes) / 2 ** 20 / ((performance.now() - started) / 1000);
  started = performance.now();
  for (let o = 0; o < objects; o++) {
    for await (const _ of createReadStream(join(dir, `raw-${o}`))) void _;
  }
  const read = (objects * bytes) / 2 ** 20 / ((performance.now() - started) / 1000);
  return { write, read };
}

