/** What the gateway writes back: status, header lines (repeatable) and the bytes of the body. */
export interface HttpReply {
  statusCode: number;
  headers: [string, string][];
  body: Buffer;
}

/**
 * Maps a function's result to an HTTP response by the payload format 2.0 rules: an
 * object with `statusCode` is a response (`headers`, `multiValueHeaders`, `cookies`,
 * `body`, `isBase64Encoded`); any other value is a 200 `application/json` whose body is
 * that value. Returns undefined for a response API Gateway would reject (bad statusCode).
 */
export function mapResponseV2(payload: string): HttpReply | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('statusCode' in value)) {
    return { statusCode: 200, headers: [['content-type', 'application/json']], body: Buffer.from(payload) };
  }
  const r = value as Record<string, unknown>;
  const status = typeof r.statusCode === 'string' ? Number(r.statusCode) : r.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return undefined;
  const headers: [string, string][] = [];
  const single = object(r.headers);
  for (const [name, v] of Object.entries(single)) if (v !== null && v !== undefined) headers.push([name.toLowerCase(), String(v)]);
  for (const [name, list] of Object.entries(object(r.multiValueHeaders))) {
    const lower = name.toLowerCase();
    if (!Array.isArray(list) || headers.some(([n]) => n === lower)) continue;
    for (const v of list) headers.push([lower, String(v)]);
  }
  if (Array.isArray(r.cookies)) for (const c of r.cookies) headers.push(['set-cookie', String(c)]);
  const raw = r.body === undefined || r.body === null ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  const body = r.isBase64Encoded === true ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (body.length > 0 && !headers.some(([n]) => n === 'content-type')) headers.push(['content-type', 'application/json']);
  return { statusCode: status, headers, body };
}

function object(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
