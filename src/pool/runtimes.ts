import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionErrorBody } from '../common/index.js';

export interface RuntimeLauncher {
  /** Host folder mounted as the runtime root (holds the bootstrap). */
  runtimeDir: string;
  /**
   * The command to start, given where the runtime root appears inside the sandbox.
   * `heapFlag`: cap memory from inside the runtime (only where no OS memory cap exists).
   * `roots`: where the code (and the layers, if any) appear inside the sandbox.
   */
  command(runtimeRoot: string, memoryMb: number, heapFlag: boolean, roots: { taskRoot: string; optRoot?: string }): string[];
  /** Variables specific to this runtime family; `optRoot` is where layers appear (`/opt`). */
  env(taskRoot: string, runtimeRoot: string, optRoot: string): Record<string, string>;
  /** Host paths outside `/usr` the interpreter needs, bound read-only at the same path. */
  readOnlyPaths?: string[];
  /**
   * Talks the Lambda Runtime API (HTTP on `AWS_LAMBDA_RUNTIME_API`) instead of Hearth's
   * private IPC channel: custom runtimes, whose bootstrap Hearth does not write.
   */
  runtimeApi?: boolean;
  /**
   * How a process that exited during Init, before the runtime took over, failed to start:
   * the runtime's own error for the launcher's known failures, else undefined (the
   * generic Runtime.ExitError).
   */
  initExitError?(exitCode: number | null, output: string): FunctionErrorBody | undefined;
}

const NODE_BOOTSTRAP_DIR = fileURLToPath(new URL('../../rt/runtime/node/', import.meta.url));
const PYTHON_BOOTSTRAP_DIR = fileURLToPath(new URL('../../rt/runtime/python/', import.meta.url));
/** Empty: a custom runtime brings everything in its package (or layers). */
const PROVIDED_RUNTIME_DIR = fileURLToPath(new URL('../../rt/runtime/provided/', import.meta.url));
const nodeMajor = Number(process.versions.node.split('.')[0]);

function nodeLauncher(): RuntimeLauncher {
  return {
    runtimeDir: NODE_BOOTSTRAP_DIR,
    // Any V8 flag on the command line costs ~16 ms per start here (Node then cannot use
    // its built-in startup snapshot). Under a cgroup memory cap, Node sizes the V8 heap
    // from that cap by itself, so the flag is only needed where there is no cgroup.
    command: (runtimeRoot, memoryMb, heapFlag) => [
      process.execPath,
      ...(heapFlag ? [`--max-old-space-size=${Math.max(32, Math.floor(memoryMb * 0.85))}`] : []),
      `${runtimeRoot}/bootstrap.cjs`,
    ],
    env: (taskRoot, runtimeRoot, optRoot) => ({
      NODE_PATH: `${optRoot}/nodejs/node${nodeMajor}/node_modules:${optRoot}/nodejs/node_modules:${runtimeRoot}:${taskRoot}`,
    }),
  };
}

/** The machine's `python3`, as the interpreter itself describes it. */
export interface PythonInstall {
  /** The interpreter binary (not a wrapper such as a pyenv shim). */
  executable: string;
  /** `3.11` */
  version: string;
  /** Install prefixes (`sys.prefix`, `sys.base_prefix`, …), real paths. */
  prefixes: string[];
}

const PYTHON_PROBE =
  'import sys,json;print(json.dumps({"executable":sys.executable,"version":"%d.%d"%sys.version_info[:2],' +
  '"prefixes":[sys.prefix,sys.base_prefix,sys.exec_prefix,sys.base_exec_prefix]}))';

let pythonProbed: PythonInstall | null | undefined;

/** Asks `python3` on the PATH once per process; undefined when there is none. */
export function findPython(): PythonInstall | undefined {
  if (pythonProbed === undefined) {
    try {
      const out = execFileSync('python3', ['-S', '-c', PYTHON_PROBE], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
      const info = JSON.parse(out) as { executable: string; version: string; prefixes: string[] };
      pythonProbed = info.executable
        ? { executable: info.executable, version: info.version, prefixes: [...new Set(info.prefixes.map(real))] }
        : null;
    } catch {
      pythonProbed = null;
    }
  }
  return pythonProbed ?? undefined;
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The folders to bind into the sandbox for this interpreter: its prefixes outside /usr. */
export function pythonReadOnlyPaths(py: PythonInstall): string[] {
  const candidates = [...py.prefixes, dirname(dirname(real(py.executable)))];
  const outside = [...new Set(candidates)].filter((p) => p !== '/' && p !== '/usr' && !p.startsWith('/usr/'));
  // A prefix inside another one is bound with it.
  return outside.filter((p) => !outside.some((q) => q !== p && p.startsWith(q + '/')));
}

function pythonLauncher(py: PythonInstall): RuntimeLauncher {
  return {
    runtimeDir: PYTHON_BOOTSTRAP_DIR,
    // -S: no site module. It would add the host's site-packages (functions bring their
    // dependencies, as on Lambda) and run their .pth hooks: ~50 ms of a ~70 ms start
    // here. The standard library's paths do not depend on it.
    // -B: no .pyc writes (the code is read-only, or shared between environments).
    // -u: unbuffered stdio, for output that bypasses the bootstrap's capture.
    command: (runtimeRoot, memoryMb, heapFlag) => [
      py.executable,
      '-S',
      '-B',
      '-u',
      `${runtimeRoot}/bootstrap.py`,
      ...(heapFlag ? [`--memory-limit-mb=${memoryMb}`] : []),
    ],
    // Where LANG's en_US.UTF-8 is not installed, Python would coerce the C locale and put
    // LC_CTYPE=C.UTF-8 into the function's environment; it runs in UTF-8 mode either
    // way. The bootstrap removes this variable again.
    // The bootstrap puts /opt/python on sys.path; where layers are not at /opt (no
    // namespaces), PYTHONPATH names their merged folder instead.
    env: (_taskRoot, _runtimeRoot, optRoot) => ({
      PYTHONCOERCECLOCALE: '0',
      ...(optRoot === '/opt' ? {} : { PYTHONPATH: `${optRoot}/python/lib/python${py.version}/site-packages:${optRoot}/python` }),
    }),
    readOnlyPaths: pythonReadOnlyPaths(py),
  };
}

/** Lambda's custom-runtime identifiers: OS-only runtimes that run the function's `bootstrap`. */
export const CUSTOM_RUNTIMES = ['provided.al2023', 'provided'] as const;

// Runs the first executable bootstrap among its arguments, as Lambda looks for
// /var/task/bootstrap, then /opt/bootstrap (a layer's). Its own name, `bootstrap`, is
// what the shell puts ahead of an exec failure (e.g. "bootstrap: 1: exec: B: not found").
const FIND_BOOTSTRAP =
  'for b in "$@"; do if [ -f "$b" ] && [ -x "$b" ]; then exec "$b"; fi; done; ' +
  'echo "Couldn\'t find valid bootstrap(s): [$*]" >&2; exit 127';
const NO_BOOTSTRAP = /^Couldn't find valid bootstrap\(s\): \[[^\]\n]*\]$/m;
// dash: "bootstrap: 1: exec: B: not found"; bash: "bootstrap: line 1: B: cannot execute: …".
const EXEC_FAILED = /^bootstrap: (?:line )?\d+: (?:exec: )?(\/\S+): (?:cannot execute: )?(.+)$/m;

/**
 * Lambda reports a bootstrap it cannot start as Runtime.InvalidEntrypoint, with the
 * message of the failed exec (Go's wording: "fork/exec B: no such file or directory").
 * Only the launcher's own shell writes these lines, and only before the bootstrap runs:
 * it exits 127 (not found) or 126 (found, not executable).
 */
export function customRuntimeInitExit(exitCode: number | null, output: string): FunctionErrorBody | undefined {
  if (exitCode !== 126 && exitCode !== 127) return undefined;
  const missing = NO_BOOTSTRAP.exec(output);
  if (missing) return { errorType: 'Runtime.InvalidEntrypoint', errorMessage: `Error: ${missing[0]}` };
  const failed = EXEC_FAILED.exec(output);
  if (!failed) return undefined;
  const reason = failed[2]!.trim().toLowerCase();
  const errno = reason === 'not found' ? 'no such file or directory' : reason;
  return { errorType: 'Runtime.InvalidEntrypoint', errorMessage: `Error: fork/exec ${failed[1]}: ${errno}` };
}

/**
 * A custom runtime (`provided.al2023`, `provided`): the package's executable
 * `bootstrap` (else a layer's `/opt/bootstrap`), driven through the Runtime API. The
 * machine's own userland stands in for Amazon Linux: `/usr` is bound read-only.
 */
function providedLauncher(): RuntimeLauncher {
  return {
    runtimeDir: PROVIDED_RUNTIME_DIR,
    runtimeApi: true,
    command: (_runtimeRoot, _memoryMb, _heapFlag, { taskRoot, optRoot }) => [
      '/bin/sh',
      '-c',
      FIND_BOOTSTRAP,
      'bootstrap',
      `${taskRoot}/bootstrap`,
      ...(optRoot ? [`${optRoot}/bootstrap`] : []),
    ],
    env: () => ({}),
    initExitError: customRuntimeInitExit,
  };
}

/**
 * Runtimes this node can start. A `nodejsNN.x` runtime is offered only when the Node.js
 * that runs Hearth is of that major version, and `python3.N` only for the version of
 * the machine's `python3`: environments must run the interpreter they claim. Custom
 * runtimes run the function's own program, so every node offers them.
 */
export function availableRuntimes(): Map<string, RuntimeLauncher> {
  const runtimes = new Map<string, RuntimeLauncher>();
  if ([20, 22, 24].includes(nodeMajor)) runtimes.set(`nodejs${nodeMajor}.x`, nodeLauncher());
  const py = findPython();
  const minor = py && /^3\.(\d+)$/.exec(py.version)?.[1];
  if (py && minor && Number(minor) >= 9) runtimes.set(`python${py.version}`, pythonLauncher(py));
  for (const id of CUSTOM_RUNTIMES) runtimes.set(id, providedLauncher());
  return runtimes;
}
