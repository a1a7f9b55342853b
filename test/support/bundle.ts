import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The files of npm packages and everything they depend on, as `node_modules/…` entries of
 * a function zip, read from the repository's (hoisted) node_modules. The ESM and type
 * builds of the AWS SDK (`dist-es`, `dist-types`) are left out: a function `require`s
 * the CommonJS build, and the zip stays small.
 */
export function bundlePackages(...packages: string[]): Record<string, Buffer> {
  const seen = new Set<string>();
  const visit = (pkg: string) => {
    if (seen.has(pkg) || !existsSync(join('node_modules', pkg, 'package.json'))) return;
    seen.add(pkg);
    const manifest = JSON.parse(readFileSync(join('node_modules', pkg, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep);
  };
  packages.forEach(visit);
  const out: Record<string, Buffer> = {};
  const walk = (dir: string, root: string, pkg: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'dist-es' || name === 'dist-types') continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p, root, pkg);
      else out[join('node_modules', pkg, relative(root, p))] = readFileSync(p);
    }
  };
  for (const pkg of seen) walk(join('node_modules', pkg), join('node_modules', pkg), pkg);
  return out;
}
