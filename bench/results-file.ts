import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Puts `body` between `<!-- name:start -->` and `<!-- name:end -->` in the results file,
 * replacing what was there or appending the section: each benchmark owns its section and
 * leaves the others alone.
 */
export function replaceSection(path: string, name: string, body: string): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Hearth benchmarks\n';
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  const next = i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
}

/** Every `<!-- name:start -->…<!-- name:end -->` section of the file except `keep`-excluded ones. */
export function sectionsOf(path: string, except: string[] = []): string[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/<!-- ([\w-]+):start -->[\s\S]*?<!-- \1:end -->/g)) {
    if (!except.includes(m[1]!)) out.push(m[0]);
  }
  return out;
}
