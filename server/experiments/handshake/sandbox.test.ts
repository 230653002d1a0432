/**
 * An edited program, Python or Node.js, is fenced in: what a socket program has no business doing is
 * stopped or refused with a clear message, the run still ends and is recorded, and every
 * program of the run has exited when it does.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { probeCapture } from '../../capture/probe.js';
import type { CaptureInfo, ProgramEvent, ProgramLang, Trace } from '../../contract/trace.js';
import { canSwitchUser, PROGRAM_USER } from '../../lab/program-process.js';
import { findPython } from '../../lab/python.js';
import { runExperiment } from '../../runner/run.js';
import { ensureRunnerBuilt } from '../../runner/vitest-global-setup.js';

let capture: CaptureInfo;

beforeAll(async () => {
  ensureRunnerBuilt();
  capture = await probeCapture({ ...process.env, SOCKET_LAB_CAPTURE: '' });
}, 180_000);

async function runClient(source: string, lang: ProgramLang = 'python'): Promise<Trace> {
  const file = lang === 'python' ? 'client.py' : 'client.js';
  return runExperiment({ experiment: 'handshake', params: {}, capture, lang, programs: { [file]: source } });
}

const programEvents = (trace: Trace, actor: string) =>
  trace.events.filter((e): e is ProgramEvent => e.kind === 'program' && e.actor === actor);

function exitOf(trace: Trace, actor: string): ProgramEvent | undefined {
  return programEvents(trace, actor).find((e) => e.op === 'exit');
}

function stderrOf(trace: Trace, actor: string): string {
  return programEvents(trace, actor)
    .filter((e) => e.op === 'output' && e.stream === 'stderr')
    .map((e) => e.text)
    .join('');
}

describe('an edited Python program in its fence', () => {
  it.each([
    ['starts a process', 'import os\nos.fork()\n', 'PermissionError', /os\.fork is not allowed in the lab/],
    ['runs a command', "import subprocess\nsubprocess.run(['sh', '-c', 'yes'])\n", 'PermissionError', /subprocess\.Popen is not allowed/],
    ['reads a file outside its folder', "print(open('/etc/hostname').read())\n", 'PermissionError', /reading \/etc\/hostname is not allowed/],
    ['writes a file outside its folder', "open('/tmp/socket-lab-escape', 'w').write('x')\n", 'PermissionError', /writing \/tmp\/socket-lab-escape is not allowed/],
    ['loads C code', 'import ctypes\n', 'PermissionError', /ctypes\.dlopen is not allowed/],
    ['allocates without end', 'x = []\nwhile True:\n    x.append(bytearray(64 * 1024 * 1024))\n', 'MemoryError', /MemoryError/],
  ])('a program that %s is refused with a clear error at its line', async (_what, source, type, message, t) => {
    if (!capture.available || capture.method !== 'netns' || !findPython()) t.skip();
    const trace = await runClient(source);
    expect(trace.outcome).toEqual({ ok: true });
    const failure = programEvents(trace, 'client').find((e) => e.op === 'exception');
    expect(failure?.error?.type).toBe(type);
    expect(failure?.line).toBeGreaterThanOrEqual(1);
    expect(stderrOf(trace, 'client')).toMatch(message);
    expect(exitOf(trace, 'client')?.code).toBe(1);
    // The server waiting for a client that never came was stopped, not left running.
    expect(exitOf(trace, 'server')?.signal).toBe('SIGKILL');
  });

  it('a program that tries to reach an outside address finds no network but its own loopback', async (t) => {
    if (!capture.available || capture.method !== 'netns' || !findPython()) t.skip();
    const trace = await runClient("import socket\nsocket.create_connection(('192.0.2.1', 80), timeout=2)\n");
    const error = trace.events.find((e) => e.kind === 'socket' && e.op === 'error' && e.actor === 'client');
    expect(error?.kind === 'socket' && error.code).toBe('ENETUNREACH');
    expect(programEvents(trace, 'client').find((e) => e.op === 'exception')?.error?.type).toBe('OSError');
  });

  it('a program that prints without end is stopped at the output limit', async (t) => {
    if (!capture.available || capture.method !== 'netns' || !findPython()) t.skip();
    const trace = await runClient("while True:\n    print('x' * 1000)\n");
    expect(exitOf(trace, 'client')?.signal).toBe('SIGKILL');
    expect(stderrOf(trace, 'client')).toMatch(/output limit of \d+ bytes reached: the program was stopped/);
    const printed = programEvents(trace, 'client').reduce((n, e) => n + (e.text?.length ?? 0), 0);
    expect(printed).toBeLessThan(1024 * 1024);
  });

  it('a program that never ends is stopped with the run at its time limit', async (t) => {
    if (!capture.available || capture.method !== 'netns' || !findPython()) t.skip();
    const trace = await runExperiment({
      experiment: 'handshake',
      params: {},
      capture,
      lang: 'python',
      programs: { 'client.py': 'while True:\n    pass\n' },
      timeLimitMs: 1500,
    });
    expect(trace.outcome.error?.code).toBe('RUN_TIMEOUT');
    expect(exitOf(trace, 'client')).toBeDefined();
  });

  it('without a private network namespace, edited programs are refused before anything runs', async () => {
    const loopback: CaptureInfo = { available: true, method: 'loopback' };
    await expect(
      runExperiment({ experiment: 'handshake', params: {}, capture: loopback, lang: 'python', programs: { 'client.py': 'print(1)' } }),
    ).rejects.toMatchObject({ code: 'PROGRAMS_NEED_NAMESPACE' });
  });
});

describe('an edited Node.js program in its fence', () => {
  it.each([
    ['starts a process', "require('node:child_process').execSync('yes')\n", /starting a process is not allowed in the lab/],
    ['starts a worker', "const { Worker } = require('node:worker_threads');\nnew Worker('1', { eval: true });\n", /worker threads are not allowed in the lab/],
    ['reads a file outside its folder', "console.log(require('node:fs').readFileSync('/etc/hostname', 'utf8'))\n", /reading \/etc\/hostname is not allowed/],
    ['writes a file outside its folder', "require('node:fs').writeFileSync('/tmp/socket-lab-escape', 'x')\n", /writing \/tmp\/socket-lab-escape is not allowed/],
    ['allocates without end', 'const kept = [];\nfor (;;) kept.push(Buffer.alloc(64 * 1024 * 1024, 1));\n', /RangeError: Array buffer allocation failed/],
  ])('a program that %s is refused with a clear error at its line', async (_what, source, message, t) => {
    if (!capture.available || capture.method !== 'netns') t.skip();
    const trace = await runClient(source, 'node');
    expect(trace.outcome).toEqual({ ok: true });
    const failure = programEvents(trace, 'client').find((e) => e.op === 'exception');
    expect(failure?.line).toBeGreaterThanOrEqual(1);
    expect(stderrOf(trace, 'client')).toMatch(message);
    expect(exitOf(trace, 'client')?.code).toBe(1);
    expect(exitOf(trace, 'server')?.signal).toBe('SIGKILL');
  });

  it('a program that tries to reach an outside address finds no network but its own loopback', async (t) => {
    if (!capture.available || capture.method !== 'netns') t.skip();
    const trace = await runClient("const net = require('node:net');\nnet.createConnection({ host: '192.0.2.1', port: 80 });\n", 'node');
    const error = trace.events.find((e) => e.kind === 'socket' && e.op === 'error' && e.actor === 'client');
    expect(error?.kind === 'socket' && [error.code, error.line]).toEqual(['ENETUNREACH', 2]);
    expect(programEvents(trace, 'client').find((e) => e.op === 'exception')?.line).toBe(2);
  });

  it('a program that prints without end is stopped at the output limit', async (t) => {
    if (!capture.available || capture.method !== 'netns') t.skip();
    const trace = await runClient("for (;;) console.log('x'.repeat(1000));\n", 'node');
    expect(exitOf(trace, 'client')?.signal).toBe('SIGKILL');
    expect(stderrOf(trace, 'client')).toMatch(/output limit of \d+ bytes reached: the program was stopped/);
    const printed = programEvents(trace, 'client').reduce((n, e) => n + (e.text?.length ?? 0), 0);
    expect(printed).toBeLessThan(1024 * 1024);
  });

  it('a program that never ends is stopped with the run at its time limit', async (t) => {
    if (!capture.available || capture.method !== 'netns') t.skip();
    const trace = await runExperiment({
      experiment: 'handshake',
      params: {},
      capture,
      lang: 'node',
      programs: { 'client.js': 'for (;;) {}\n' },
      timeLimitMs: 1500,
    });
    expect(trace.outcome.error?.code).toBe('RUN_TIMEOUT');
    expect(exitOf(trace, 'client')).toBeDefined();
  });

  it('runs as the unprivileged user when the lab is root, with its limits', async (t) => {
    if (!capture.available || capture.method !== 'netns') t.skip();
    const source = [
      "const fs = require('node:fs');",
      'let opened = 0;',
      "try { for (; opened < 1000; opened++) fs.openSync(`f${opened}`, 'w'); } catch (err) { console.log(process.getuid(), err.code, opened < 128); }",
    ].join('\n');
    const trace = await runClient(source, 'node');
    const printed = programEvents(trace, 'client').filter((e) => e.op === 'output').map((e) => e.text).join('');
    expect(printed).toBe(`${canSwitchUser() ? PROGRAM_USER.uid : process.getuid!()} EMFILE true\n`);
  });
});
