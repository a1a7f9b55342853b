/**
 * API Gateway's HTTP API payload format 2.0, the event both routes and function URLs
 * send. Pure: everything about the request and the moment comes in as arguments.
 */

export interface HttpRequestParts {
  method: string;
  /** The path the function sees (for a function URL: after `/lambda-url/NAME`). */
  rawPath: string;
  rawQueryString: string;
  /** Node's `rawHeaders`: name, value, name, value … in arrival order. */
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
  protocol: string;
  requestId: string;
  timeEpoch: number;
}

export interface EventContext {
  accountId: string;
  apiId: string;
  domainName: string;
  domainPrefix: string;
  routeKey: string;
  stage: string;
  pathParameters?: Record<string, string>;
}

export interface HttpEventV2 {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  pathParameters?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
  };
  body?: string;
  isBase64Encoded: boolean;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function buildEventV2(req: HttpRequestParts, ctx: EventContext): HttpEventV2 {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    const value = req.rawHeaders[i + 1]!;
    // 2.0 moves cookies out of the headers into their own list, one cookie per entry.
    if (name === 'cookie') cookies.push(...value.split(';').map((c) => c.trim()).filter(Boolean));
    else headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  const query = queryParameters(req.rawQueryString);
  const text = req.body.length === 0 || isTextual(headers['content-type'], req.body);
  return {
    version: '2.0',
    routeKey: ctx.routeKey,
    rawPath: req.rawPath,
    rawQueryString: req.rawQueryString,
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    ...(ctx.pathParameters ? { pathParameters: ctx.pathParameters } : {}),
    requestContext: {
      accountId: ctx.accountId,
      apiId: ctx.apiId,
      domainName: ctx.domainName,
      domainPrefix: ctx.domainPrefix,
      http: { method: req.method, path: req.rawPath, protocol: req.protocol, sourceIp: req.sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: req.requestId,
      routeKey: ctx.routeKey,
      stage: ctx.stage,
      time: clfTime(req.timeEpoch),
      timeEpoch: req.timeEpoch,
    },
    ...(req.body.length ? { body: req.body.toString(text ? 'utf8' : 'base64') } : {}),
    isBase64Encoded: !text,
  };
}

/** Repeated names are joined with commas, values decoded, as API Gateway does. */
export function queryParameters(raw: string): Record<string, string> | undefined {
  if (raw === '') return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = k in out ? `${out[k]},${v}` : v;
  return Object.keys(out).length ? out : undefined;
}

/**
 * Whether a body travels as text: textual media types, or no type and valid UTF-8.
 * Everything else is base64 with `isBase64Encoded: true`, so bytes arrive unchanged.
 */
export function isTextual(contentType: string | undefined, body: Buffer): boolean {
  if (!contentType) return isUtf8(body);
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type.startsWith('text/') || /(^|[+/])(json|xml|javascript|x-www-form-urlencoded|yaml|graphql)$/.test(type);
}

function isUtf8(body: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return true;
  } catch {
    return false;
  }
}

/** `12/Mar/2020:19:03:58 +0000`: the request context's `time` (always UTC). */
export function clfTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
