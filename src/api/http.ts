import type { IncomingMessage, ServerResponse } from 'node:http';
import { HearthError } from '../common/index.js';

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  headers: IncomingMessage['headers'];
  raw: IncomingMessage;
  /** The whole body; rejects with RequestTooLargeException past `limit` bytes. */
  body(limit: number): Promise<Buffer>;
}

export type Handler = (req: Request, res: ServerResponse) => Promise<void> | void;

export interface Route {
  method: string;
  /** A path like `/2015-03-31/functions/{name}/invocations`; `{x}` matches one segment. */
  path: string;
  handler: Handler;
}

interface Compiled {
  method: string;
  regex: RegExp;
  names: string[];
  handler: Handler;
  first: string;
}

/** A small method + path router: the API surface is fixed, so a table is enough. */
export class Router {
  private readonly routes: Compiled[] = [];

  add(route: Route): this {
    const names: string[] = [];
    const pattern = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.routes.push({ method: route.method, regex: new RegExp(`^${pattern}/?$`), names, handler: route.handler, first: route.path.split('/')[1] ?? '' });
    return this;
  }

  /** The first path segments of the routes (e.g. `2015-03-31`, `hearth`): not S3 bucket names. */
  firstSegments(): Set<string> {
    return new Set(this.routes.map((r) => r.first));
  }

  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | undefined {
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      try {
        r.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1] ?? '')));
      } catch {
        return undefined; // malformed percent-encoding: no operation matches
      }
      return { handler: r.handler, params };
    }
    return undefined;
  }
}

export function readBody(raw: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(raw.headers['content-length'] ?? 0);
  if (declared > limit) {
    raw.resume();
    return Promise.reject(tooLarge(declared, limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    raw.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        raw.removeAllListeners('data');
        raw.resume();
        reject(tooLarge(size, limit));
        return;
      }
      chunks.push(c);
    });
    raw.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    raw.on('error', reject);
  });
}

function tooLarge(size: number, limit: number): HearthError {
  return new HearthError('RequestTooLargeException', `Request must be smaller than ${limit} bytes for the operation (got ${size}).`);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export async function jsonBody<T>(req: Request, limit: number): Promise<T> {
  const buf = await req.body(limit);
  if (buf.length === 0) return {} as T;
  try {
    return JSON.parse(buf.toString('utf8')) as T;
  } catch {
    throw new HearthError('InvalidRequestContentException', 'Could not parse request body into json: the body is not valid JSON.');
  }
}
