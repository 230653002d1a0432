/**
 * Node.js programs: each runs as `node --require labtrace.cjs PROGRAM.js` (see the top of
 * labtrace.cjs for what it reports and how), with the same node that runs the lab.
 *
 * Authoring: a Node program is a plain CommonJS file (`server.js`, `client.js`) in the
 * experiment's `programs/`, using `node:net` as a student would; its settings are top-level
 * `const NAME = value;` lines the lab rewrites for each run (program-settings.ts), and it is
 * started with `ctx.runProgram('client.js', { actor, settings })` like a Python one.
 *
 * The fence: Node's permission model (`--experimental-permission`) lets the program read and
 * write only its own folder and start no process, worker or native addon; `prlimit` applies the
 * limits before node starts. Node reserves about 700 MiB of address space before it runs a line,
 * so its address-space limit is 1 GiB and its JavaScript heap is held to 256 MiB instead.
 */
import { join } from 'node:path';
import { findExecutable } from '../capture/which.js';
import { projectRoot } from '../paths.js';
import type { ProgramLimits, ProgramRuntime } from './program-process.js';

/** The tracer every Node.js program starts under. */
export const LABTRACE_CJS = join(projectRoot, 'server', 'lab', 'node', 'labtrace.cjs');

/** Most JavaScript heap a program may use, in MiB. */
export const NODE_HEAP_MIB = 256;
/** Node's address-space limit: what it reserves at start, and room for buffers. */
export const NODE_ADDRESS_SPACE = 1024 * 1024 * 1024;

export class PrlimitMissingError extends Error {
  override readonly name = 'PrlimitMissingError';
  readonly code = 'PRLIMIT_MISSING';
  constructor() {
    super('prlimit (which limits a program) is not installed; install it with: apt-get install -y util-linux');
  }
}

/** `prlimit` options for `limits` (`--cpu=10`...). */
export function prlimitOptions(limits: ProgramLimits): string[] {
  const names: Record<keyof ProgramLimits, string> = {
    RLIMIT_CPU: 'cpu',
    RLIMIT_AS: 'as',
    RLIMIT_NOFILE: 'nofile',
    RLIMIT_FSIZE: 'fsize',
    RLIMIT_NPROC: 'nproc',
    RLIMIT_CORE: 'core',
  };
  return Object.entries(names).map(([limit, option]) => {
    const value = limit === 'RLIMIT_AS' ? Math.max(limits.RLIMIT_AS, NODE_ADDRESS_SPACE) : limits[limit as keyof ProgramLimits];
    return `--${option}=${value}`;
  });
}

export const NODE_RUNTIME: ProgramRuntime = {
  lang: 'node',
  extensions: ['.js', '.cjs', '.mjs'],
  tracer: LABTRACE_CJS,
  tracerName: '_labtrace.cjs',
  command(file, dir, tracer, limits) {
    const prlimit = findExecutable('prlimit');
    if (!prlimit) throw new PrlimitMissingError();
    const folder = dir.endsWith('/') ? dir : `${dir}/`;
    return {
      executable: prlimit,
      args: [
        ...prlimitOptions(limits),
        '--',
        process.execPath,
        '--experimental-permission',
        `--allow-fs-read=${folder}`,
        `--allow-fs-write=${folder}`,
        '--disable-warning=ExperimentalWarning',
        `--max-old-space-size=${NODE_HEAP_MIB}`,
        // Fewer helper threads: they count against the process limit.
        '--v8-pool-size=1',
        '--require',
        tracer,
        file,
      ],
    };
  },
};
