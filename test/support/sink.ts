import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP listener that functions report to (environments share the host's
 * network): lets a test see every run of an asynchronous invocation.
 */
export interface Sink {
  url: string;
  received: { id: string; event: Record<string, unknown> }[];
  close(): Promise<void>;
}

export async function startSink(): Promise<Sink> {
  const received: Sink['received'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString()) as Sink['received'][number]);
      res.end('ok');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    received,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** A handler that reports each run (its request id and event) to the sink in $SINK, then fails if asked. */
export const REPORTING_HANDLER = {
  'index.js': `
    const http = require('node:http');
    exports.handler = async (event, context) => {
      await new Promise((resolve, reject) => {
        const req = http.request(process.env.SINK, { method: 'POST' }, (res) => { res.resume(); res.on('end', resolve); });
        req.on('error', reject);
        req.end(JSON.stringify({ id: context.awsRequestId, event }));
      });
      if (event.ms) await new Promise((r) => setTimeout(r, event.ms));
      if (event.fail) throw new Error('asked to fail');
      return { ok: true, n: event.n };
    };`,
};
