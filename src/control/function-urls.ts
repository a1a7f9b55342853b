import { conflict, invalid, notFound, shortId, type Clock } from '../common/index.js';
import type { Kv } from '../store/index.js';
import type { FunctionImages } from './function-images.js';
import type { FunctionRegistry } from './function-registry.js';

/** Lambda's Cors object of a function URL. */
export interface UrlCors {
  AllowCredentials?: boolean;
  AllowHeaders?: string[];
  AllowMethods?: string[];
  AllowOrigins?: string[];
  ExposeHeaders?: string[];
  MaxAge?: number;
}

export interface StoredFunctionUrl {
  name: string;
  /** An alias; absent for the unqualified function ($LATEST). */
  qualifier?: string;
  /** Lambda's url-id: the request context's apiId and domainPrefix. */
  urlId: string;
  authType: 'NONE';
  cors?: UrlCors;
  invokeMode: 'BUFFERED';
  created: number;
  modified: number;
}

export interface FunctionUrlInput {
  AuthType?: unknown;
  Cors?: unknown;
  InvokeMode?: unknown;
}

const PREFIX = 'function-url/';
const key = (name: string, qualifier?: string) => `${PREFIX}${name}/${qualifier ?? ''}`;
const CORS_LISTS = ['AllowHeaders', 'AllowMethods', 'AllowOrigins', 'ExposeHeaders'] as const;
const CORS_KEYS = new Set<string>([...CORS_LISTS, 'AllowCredentials', 'MaxAge']);

/**
 * Function URL configurations (CreateFunctionUrlConfig …), one per function and alias,
 * kept in the KV. Only what the gateway can honour is accepted: AuthType NONE and
 * buffered responses; anything else is refused rather than ignored.
 */
export class FunctionUrlConfigs {
  constructor(
    private readonly kv: Kv,
    private readonly registry: FunctionRegistry,
    private readonly images: FunctionImages,
    private readonly clock: Clock,
  ) {
    registry.onDelete((name) => {
      for (const e of kv.list({ prefix: `${PREFIX}${name}/` })) kv.delete(e.key);
    });
  }

  create(name: string, qualifier: string | undefined, input: FunctionUrlInput): StoredFunctionUrl {
    this.checkTarget(name, qualifier);
    if (input.AuthType === undefined) throw invalid('AuthType is required (NONE).');
    const now = this.clock.now();
    const url: StoredFunctionUrl = {
      name,
      ...(qualifier === undefined ? {} : { qualifier }),
      urlId: shortId(16),
      authType: authType(input.AuthType),
      ...(input.Cors === undefined ? {} : { cors: cors(input.Cors) }),
      invokeMode: invokeMode(input.InvokeMode),
      created: now,
      modified: now,
    };
    if (!this.kv.put(key(name, qualifier), url, 0)) {
      throw conflict(`Failed to create function url config for [functionArn = ${this.registry.arn(name, qualifier)}]. Error message:  FunctionUrlConfig exists for this Lambda function`);
    }
    return url;
  }

  get(name: string, qualifier?: string): StoredFunctionUrl {
    this.registry.get(name);
    const entry = this.kv.get<StoredFunctionUrl>(key(name, qualifier));
    if (!entry) throw notFound('The resource you requested does not exist.');
    return entry.value;
  }

  /** The configuration the gateway serves, or undefined. */
  find(name: string, qualifier?: string): StoredFunctionUrl | undefined {
    return this.kv.get<StoredFunctionUrl>(key(name, qualifier))?.value;
  }

  update(name: string, qualifier: string | undefined, input: FunctionUrlInput): StoredFunctionUrl {
    const old = this.get(name, qualifier);
    const next: StoredFunctionUrl = {
      ...old,
      ...(input.AuthType === undefined ? {} : { authType: authType(input.AuthType) }),
      ...(input.InvokeMode === undefined ? {} : { invokeMode: invokeMode(input.InvokeMode) }),
      modified: this.clock.now(),
    };
    if (input.Cors !== undefined) next.cors = cors(input.Cors);
    this.kv.put(key(name, qualifier), next);
    return next;
  }

  delete(name: string, qualifier?: string): void {
    this.get(name, qualifier);
    this.kv.delete(key(name, qualifier));
  }

  list(name: string): StoredFunctionUrl[] {
    this.registry.get(name);
    return this.kv.list<StoredFunctionUrl>({ prefix: `${PREFIX}${name}/` }).map((e) => e.value);
  }

  /** Lambda gives URLs to the function itself or to an alias, never to a version. */
  private checkTarget(name: string, qualifier?: string): void {
    if (qualifier !== undefined && (qualifier === '$LATEST' || /^[0-9]+$/.test(qualifier))) {
      throw invalid(`A function URL's Qualifier must be an alias name (got ${qualifier}).`);
    }
    this.images.target(name, qualifier);
  }
}

function authType(v: unknown): 'NONE' {
  if (v === 'NONE') return v;
  if (v === 'AWS_IAM') throw invalid('AuthType AWS_IAM is not supported by Hearth yet: function URLs are served with AuthType NONE only.');
  throw invalid(`AuthType must be NONE or AWS_IAM (got ${JSON.stringify(v)}).`);
}

function invokeMode(v: unknown): 'BUFFERED' {
  if (v === undefined || v === 'BUFFERED') return 'BUFFERED';
  if (v === 'RESPONSE_STREAM') throw invalid('InvokeMode RESPONSE_STREAM is not supported by Hearth yet: function URLs answer BUFFERED only.');
  throw invalid(`InvokeMode must be BUFFERED or RESPONSE_STREAM (got ${JSON.stringify(v)}).`);
}

function cors(v: unknown): UrlCors {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid('Cors must be an object.');
  const c = v as Record<string, unknown>;
  for (const k of Object.keys(c)) if (!CORS_KEYS.has(k)) throw invalid(`Cors has no field ${k}.`);
  const out: UrlCors = {};
  for (const k of CORS_LISTS) {
    const list = c[k];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((s) => typeof s !== 'string' || s.length === 0 || s.length > 1024) || list.length > 100) {
      throw invalid(`Cors.${k} must be a list of at most 100 non-empty strings.`);
    }
    out[k] = list as string[];
  }
  for (const m of out.AllowMethods ?? []) {
    if (!/^(\*|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/i.test(m)) throw invalid(`Cors.AllowMethods: ${m} is not an HTTP method or *.`);
  }
  if (c.AllowCredentials !== undefined) {
    if (typeof c.AllowCredentials !== 'boolean') throw invalid('Cors.AllowCredentials must be a boolean.');
    out.AllowCredentials = c.AllowCredentials;
  }
  if (c.MaxAge !== undefined) {
    if (!Number.isInteger(c.MaxAge) || (c.MaxAge as number) < 0 || (c.MaxAge as number) > 86_400) throw invalid('Cors.MaxAge must be an integer from 0 to 86400.');
    out.MaxAge = c.MaxAge as number;
  }
  return out;
}
