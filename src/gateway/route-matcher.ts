import { parseRouteKey, type RouteKey, type StoredRoute } from '../control/index.js';

export interface RouteMatch {
  route: StoredRoute;
  /** Absent when the route has no parameters, as in API Gateway's event. */
  pathParameters?: Record<string, string>;
}

interface Compiled {
  route: StoredRoute;
  key: RouteKey;
}

/** Lower is more specific, per segment: API Gateway prefers literal text, then {param}, then {proxy+}. */
const RANK = { static: 0, param: 1, greedy: 2 } as const;

/**
 * Matches a request to the most specific route: compared segment by segment (static
 * beats {param} beats {proxy+}), then a named method beats ANY; `$default` comes last.
 */
export class RouteMatcher {
  private readonly routes: Compiled[];
  private readonly fallback?: StoredRoute;

  constructor(routes: StoredRoute[]) {
    const compiled = routes.map((route) => ({ route, key: parseRouteKey(route.routeKey) }));
    this.fallback = compiled.find((c) => c.key.method === '$default')?.route;
    this.routes = compiled.filter((c) => c.key.method !== '$default');
  }

  match(method: string, path: string): RouteMatch | undefined {
    const segments = splitPath(path);
    let best: { c: Compiled; ranks: number[]; params: Record<string, string> } | undefined;
    for (const c of this.routes) {
      if (c.key.method !== 'ANY' && c.key.method !== method) continue;
      const hit = matchSegments(c.key, segments);
      if (!hit) continue;
      const ranks = [...hit.ranks, c.key.method === 'ANY' ? 1 : 0];
      if (!best || lessThan(ranks, best.ranks)) best = { c, ranks, params: hit.params };
    }
    if (best) return { route: best.c.route, ...(Object.keys(best.params).length ? { pathParameters: best.params } : {}) };
    return this.fallback ? { route: this.fallback } : undefined;
  }
}

/** `/a/b/` → ['a', 'b']; a trailing slash does not make a segment. */
function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+/, '').replace(/\/$/, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

function matchSegments(key: RouteKey, segments: string[]): { ranks: number[]; params: Record<string, string> } | undefined {
  const params: Record<string, string> = {};
  const ranks: number[] = [];
  for (let i = 0; i < key.segments.length; i++) {
    const s = key.segments[i]!;
    ranks.push(RANK[s.kind]);
    if (s.kind === 'greedy') {
      const rest = segments.slice(i);
      if (rest.length === 0) return undefined;
      params[s.name] = decode(rest.join('/'));
      return { ranks, params };
    }
    const seg = segments[i];
    if (seg === undefined || seg === '') return undefined;
    if (s.kind === 'static' && decode(seg) !== s.text) return undefined;
    if (s.kind === 'param') params[s.name] = decode(seg);
  }
  return segments.length === key.segments.length ? { ranks, params } : undefined;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Lexicographic: the first differing segment decides; a shorter list of ranks is a literal path, so it wins ties. */
function lessThan(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return a.length < b.length;
}
