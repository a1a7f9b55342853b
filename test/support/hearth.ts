import { startHearth, type Hearth, type ServerConfig } from '../../src/server/index.js';
import { makeZip } from './zip.js';

export type { Hearth };

/** A real server on a free loopback port with a throw-away data directory. */
export function startTestHearth(config: Partial<ServerConfig> = {}): Promise<Hearth> {
  return startHearth({ port: 0, ephemeral: true, ...config });
}

export const RUNTIME = `nodejs${process.versions.node.split('.')[0]}.x`;

export interface Deploy {
  name: string;
  files: Record<string, string | Buffer>;
  /** Unix modes of some files (e.g. `{ bootstrap: 0o100755 }`); others are 0644. */
  modes?: Record<string, number>;
  handler?: string;
  /** Defaults to the Node.js runtime of the Node running the tests. */
  runtime?: string;
  memory?: number;
  timeout?: number;
  env?: Record<string, string>;
  ephemeralStorage?: number;
  /** Layer version ARNs. */
  layers?: string[];
}

/** CreateFunction through the real HTTP API; returns the response. */
export async function createFunction(h: Hearth, d: Deploy): Promise<Response> {
  const zip = await makeZip(d.files, d.modes);
  return fetch(`${h.url}/2015-03-31/functions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      FunctionName: d.name,
      Runtime: d.runtime ?? RUNTIME,
      Handler: d.handler ?? 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/test',
      MemorySize: d.memory,
      Timeout: d.timeout,
      Environment: d.env ? { Variables: d.env } : undefined,
      EphemeralStorage: d.ephemeralStorage ? { Size: d.ephemeralStorage } : undefined,
      Layers: d.layers,
      Code: { ZipFile: zip.toString('base64') },
    }),
  });
}

/** Like createFunction, but fails the test unless the function was created. */
export async function deploy(h: Hearth, d: Deploy): Promise<void> {
  const res = await createFunction(h, d);
  if (res.status !== 201) throw new Error(`deploy ${d.name}: ${res.status} ${await res.text()}`);
}

export interface Invocation {
  status: number;
  body: string;
  json: unknown;
  functionError: string | null;
  headers: Headers;
  /** Decoded X-Amz-Log-Result, when asked for with `log: true`. */
  log?: string;
}

export async function invoke(h: Hearth, name: string, event: unknown = {}, opts: { log?: boolean; headers?: Record<string, string> } = {}): Promise<Invocation> {
  const res = await fetch(`${h.url}/2015-03-31/functions/${name}/invocations`, {
    method: 'POST',
    headers: { ...(opts.log ? { 'x-amz-log-type': 'Tail' } : {}), ...opts.headers },
    body: typeof event === 'string' ? event : JSON.stringify(event),
  });
  const body = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const tail = res.headers.get('x-amz-log-result');
  return {
    status: res.status,
    body,
    json,
    functionError: res.headers.get('x-amz-function-error'),
    headers: res.headers,
    log: tail ? Buffer.from(tail, 'base64').toString('utf8') : undefined,
  };
}

/** PublishLayerVersion through the real HTTP API; returns the new version's ARN. */
export async function publishLayer(h: Hearth, name: string, files: Record<string, string>): Promise<string> {
  const zip = await makeZip(files);
  const res = await fetch(`${h.url}/2018-10-31/layers/${name}/versions`, {
    method: 'POST',
    body: JSON.stringify({ Content: { ZipFile: zip.toString('base64') } }),
  });
  if (res.status !== 201) throw new Error(`publish layer ${name}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { LayerVersionArn: string }).LayerVersionArn;
}

export const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** Polls until `check` returns a truthy value or the time is up. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000, everyMs = 25): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(everyMs);
  }
}
