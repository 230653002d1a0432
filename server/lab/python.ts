/**
 * Python programs: each runs under `labtrace.py` (see the top of that file), which applies the
 * limits itself (`LABTRACE_LIMITS`) and fences the program with an audit hook.
 */
import { join } from 'node:path';
import { findExecutable, isExecutable } from '../capture/which.js';
import { projectRoot } from '../paths.js';
import type { ProgramRuntime } from './program-process.js';

/** The tracer every Python program starts under. */
export const LABTRACE_PY = join(projectRoot, 'server', 'lab', 'python', 'labtrace.py');

export class PythonMissingError extends Error {
  override readonly name = 'PythonMissingError';
  readonly code = 'PYTHON_MISSING';
  constructor() {
    super('python3 is not installed; install it with: apt-get install -y python3');
  }
}

/** The system's python3 (the one every user may run), else the first on PATH; null when there is none. */
export function findPython(): string | null {
  return isExecutable('/usr/bin/python3') ? '/usr/bin/python3' : findExecutable('python3');
}

export const PYTHON_RUNTIME: ProgramRuntime = {
  lang: 'python',
  extensions: ['.py'],
  tracer: LABTRACE_PY,
  // Not a name a student's module would take.
  tracerName: '_labtrace.py',
  command(file, _dir, tracer, limits) {
    const python = findPython();
    if (!python) throw new PythonMissingError();
    return {
      executable: python,
      args: ['-E', '-s', '-B', '-X', 'utf8', '-u', tracer, file],
      env: { LABTRACE_LIMITS: JSON.stringify(limits) },
    };
  },
};
