import { conflict, invalid, notFound, parseFunctionRef, shortId, type Clock } from '../common/index.js';
import type { Kv } from '../store/index.js';
import type { FunctionImages } from './function-images.js';

export const ROUTE_METHODS = ['ANY', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

/** One segment of a route's path: `users`, `{id}` or a last `{proxy+}`. */
export type RouteSegment = { kind: 'static'; text: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

export interface RouteKey {
  /** `$default` catches what no other route matches. */
  method: RouteMethod | '$default';
  segments: RouteSegment[];
}

export interface StoredRoute {
  routeId: string;
  /** As the user wrote it, normalised: `GET /users/{id}`. */
  routeKey: string;
  functionName: string;
  qualifier?: string;
  created: number;
}

const PREFIX = 'http-route/';

/** Parses API Gateway's route key syntax, refusing what the matcher could not honour. */
export function parseRouteKey(text: string): RouteKey {
  const trimmed = text.trim();
  if (trimmed === '$default') return { method: '$default', segments: [] };
  const m = /^(\S+)\s+(\/\S*)$/.exec(trimmed);
  if (!m) throw invalid(`Not a route key: "${text}" (use METHOD /path, e.g. GET /users/{id}, or $default).`);
  const method = m[1]!.toUpperCase();
  if (!(ROUTE_METHODS as readonly string[]).includes(method)) throw invalid(`Route method must be one of ${ROUTE_METHODS.join(', ')} (got ${m[1]}).`);
  const parts = m[2] === '/' ? [] : m[2]!.slice(1).split('/');
  const names = new Set<string>();
  const segments = parts.map((part, i): RouteSegment => {
    if (part === '') throw invalid(`Route path "${m[2]}" has an empty segment.`);
    const p = /^\{([A-Za-z0-9_.-]+)(\+?)\}$/.exec(part);
    if (!p) {
      if (/[{}]/.test(part)) throw invalid(`Route path segment "${part}" must be literal text, {name} or a last {name+}.`);
      return { kind: 'static', text: part };
    }
    if (names.has(p[1]!)) throw invalid(`Route path "${m[2]}" names {${p[1]}} twice.`);
    names.add(p[1]!);
    if (p[2] && i !== parts.length - 1) throw invalid(`Route path "${m[2]}": a greedy {${p[1]}+} must be the last segment.`);
    return p[2] ? { kind: 'greedy', name: p[1]! } : { kind: 'param', name: p[1]! };
  });
  return { method: method as RouteMethod, segments };
}

export function formatRouteKey(key: RouteKey): string {
  if (key.method === '$default') return '$default';
  const path = key.segments.map((s) => (s.kind === 'static' ? s.text : s.kind === 'param' ? `{${s.name}}` : `{${s.name}+}`)).join('/');
  return `${key.method} /${path}`;
}

/**
 * The gateway's route table (`METHOD /path` → function or alias), kept in the KV so it
 * survives restarts. Listeners hear every change so the gateway recompiles its matcher.
 */
export class HttpRoutes {
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly kv: Kv,
    private readonly images: FunctionImages,
    private readonly clock: Clock,
  ) {}

  add(routeKey: string, target: string): StoredRoute {
    const normalized = formatRouteKey(parseRouteKey(routeKey));
    if (typeof target !== 'string' || target === '') throw invalid('Target must name a function (NAME, NAME:ALIAS or NAME:VERSION).');
    const ref = parseFunctionRef(target);
    this.images.target(ref.name, ref.qualifier);
    if (this.list().some((r) => r.routeKey === normalized)) throw conflict(`A route for ${normalized} already exists.`);
    const route: StoredRoute = {
      routeId: shortId(4),
      routeKey: normalized,
      functionName: ref.name,
      ...(ref.qualifier === undefined ? {} : { qualifier: ref.qualifier }),
      created: this.clock.now(),
    };
    this.kv.put(PREFIX + route.routeId, route, 0);
    this.changed();
    return route;
  }

  list(): StoredRoute[] {
    return this.kv.list<StoredRoute>({ prefix: PREFIX }).map((e) => e.value);
  }

  /** Removes a route named by its id or its route key. */
  remove(idOrKey: string): StoredRoute {
    let route = this.kv.get<StoredRoute>(PREFIX + idOrKey)?.value;
    if (!route && idOrKey.includes(' ')) {
      const wanted = formatRouteKey(parseRouteKey(idOrKey));
      route = this.list().find((r) => r.routeKey === wanted);
    }
    if (!route) throw notFound(`No route ${idOrKey}.`);
    this.kv.delete(PREFIX + route.routeId);
    this.changed();
    return route;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
