/** The languages programs run in, and which one runs a file (by its name's ending). */
import { extname } from 'node:path';
import type { ProgramLang } from '../contract/trace.js';
import { NODE_RUNTIME } from './node.js';
import type { ProgramRuntime } from './program-process.js';
import { PYTHON_RUNTIME } from './python.js';

export const RUNTIMES: Readonly<Record<ProgramLang, ProgramRuntime>> = { python: PYTHON_RUNTIME, node: NODE_RUNTIME };

/** The runtime of a program file (`client.py` → Python, `client.js` → Node.js); undefined for another ending. */
export function runtimeForFile(name: string): ProgramRuntime | undefined {
  const ending = extname(name);
  return Object.values(RUNTIMES).find((r) => r.extensions.includes(ending));
}
