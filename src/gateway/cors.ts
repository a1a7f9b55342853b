import type { UrlCors } from '../control/index.js';

type Headers = Record<string, string | string[] | undefined>;

/** A browser's preflight: OPTIONS with Origin and Access-Control-Request-Method. */
export function isPreflight(method: string, headers: Headers): boolean {
  return method === 'OPTIONS' && typeof headers.origin === 'string' && typeof headers['access-control-request-method'] === 'string';
}

/** The Access-Control-Allow-Origin value for this origin, or undefined when it is not allowed. */
function allowedOrigin(cors: UrlCors, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  const list = cors.AllowOrigins ?? [];
  if (list.some((o) => o.toLowerCase() === origin.toLowerCase())) return origin;
  // With credentials a browser refuses `*`, so the origin itself is echoed.
  if (list.includes('*')) return cors.AllowCredentials ? origin : '*';
  return undefined;
}

/**
 * The gateway answers preflights itself, from the configuration, without invoking
 * the function (as Lambda does for function URLs). Not-allowed origins get no CORS headers.
 */
export function preflightHeaders(cors: UrlCors, headers: Headers): [string, string][] {
  const origin = allowedOrigin(cors, headers.origin as string | undefined);
  if (!origin) return [];
  const wantedMethod = String(headers['access-control-request-method']).toUpperCase();
  const methods = (cors.AllowMethods ?? []).map((m) => m.toUpperCase());
  if (!methods.includes('*') && !methods.includes(wantedMethod)) return [];
  const out: [string, string][] = [['access-control-allow-origin', origin]];
  if (origin !== '*') out.push(['vary', 'Origin']);
  out.push(['access-control-allow-methods', methods.includes('*') ? '*' : methods.join(',')]);
  const requested = headers['access-control-request-headers'];
  const allowHeaders = cors.AllowHeaders ?? [];
  if (allowHeaders.length) {
    out.push(['access-control-allow-headers', allowHeaders.includes('*') && typeof requested === 'string' ? requested : allowHeaders.join(',')]);
  }
  if (cors.MaxAge !== undefined) out.push(['access-control-max-age', String(cors.MaxAge)]);
  if (cors.AllowCredentials) out.push(['access-control-allow-credentials', 'true']);
  return out;
}

/** CORS headers on an ordinary response; they replace any of the same name the function set. */
export function responseCorsHeaders(cors: UrlCors, headers: Headers): [string, string][] {
  const origin = allowedOrigin(cors, headers.origin as string | undefined);
  if (!origin) return [];
  const out: [string, string][] = [['access-control-allow-origin', origin]];
  if (origin !== '*') out.push(['vary', 'Origin']);
  if (cors.ExposeHeaders?.length) out.push(['access-control-expose-headers', cors.ExposeHeaders.join(',')]);
  if (cors.AllowCredentials) out.push(['access-control-allow-credentials', 'true']);
  return out;
}

/** Adds `extra` to `headers`, dropping earlier lines of the same names. */
export function overrideHeaders(headers: [string, string][], extra: [string, string][]): [string, string][] {
  if (extra.length === 0) return headers;
  const names = new Set(extra.map(([n]) => n));
  return [...headers.filter(([n]) => !names.has(n)), ...extra];
}
