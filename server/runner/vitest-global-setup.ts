/**
 * Tests run the TypeScript sources, but a run's child process is the compiled
 * dist/server/runner/child.js. This builds the server (tsc) when that file is missing or
 * older than any server source, once even when several test files ask at the same time.
 * Use as a vitest `globalSetup`, or call `ensureRunnerBuilt()` in a `beforeAll`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../paths.js';

const serverDir = join(projectRoot, 'server');
const childScript = join(projectRoot, 'dist', 'server', 'runner', 'child.js');
const lockDir = join(projectRoot, 'dist', '.runner-build.lock');

function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  return existsSync(childScript) && statSync(childScript).mtimeMs >= newestSourceMs(serverDir);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function ensureRunnerBuilt(): void {
  if (isFresh()) return;
  mkdirSync(join(projectRoot, 'dist'), { recursive: true });
  // Only one builder at a time; the others wait for it (at most two minutes).
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      if (waited > 120_000) rmSync(lockDir, { recursive: true, force: true });
      else sleepSync(200);
      if (isFresh()) return;
    }
  }
  try {
    if (isFresh()) return;
    const tsc = join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    try {
      execFileSync(process.execPath, [tsc, '-p', join(serverDir, 'tsconfig.json')], { cwd: projectRoot, stdio: 'pipe' });
    } catch (err) {
      // Type errors elsewhere still emit JavaScript; only a missing child script is fatal.
      if (!existsSync(childScript)) {
        const output = String((err as { stdout?: unknown }).stdout ?? err);
        throw new Error(`Building the server failed:\n${output.slice(0, 4000)}`);
      }
    }
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

export default function setup(): void {
  ensureRunnerBuilt();
}
