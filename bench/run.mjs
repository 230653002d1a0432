#!/usr/bin/env node
/**
 * The benchmark suite (not a test: it measures and reports, it never fails on a number).
 *
 *   npm run bench              # every row, full size
 *   npm run bench -- --smoke   # every row, tiny inputs: proves the suite still runs (CI)
 *   npm run bench -- --only decode
 *
 * Runs every `bench/rows/*.mjs` in name order. Each exports
 *   default async function ({ smoke, tmp }) → [{ row, value, unit, peer, peerValue, ratio, target }]
 * where `tmp` is a folder of its own under this run's temporary folder (removed at the end: the
 * suite writes nothing anywhere else), `ratio` compares ours with the peer measured in the same
 * run, its `target` saying which way is better (`≥ 1.0` for a rate of ours over the peer's,
 * `< 1` for a time of ours over the peer's), and `peer`/`peerValue`/`ratio`/`target` are null
 * where a row has none. A row file may give no rows where what it measures is not available. Prints a table, then the rows as JSON with the machine they came from.
 * A row file that throws is reported as a failed row and the exit code is 1.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem, type as osType, release } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Memory rows measure what is still held after a full collection (`global.gc()`), not garbage
// not yet collected: the collector is made callable however this script was started.
if (typeof global.gc !== 'function') {
  setFlagsFromString('--expose-gc');
  global.gc = runInNewContext('gc');
}

const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
    json: { type: 'boolean', default: false },
  },
});
const rowsDir = fileURLToPath(new URL('./rows/', import.meta.url));
const files = readdirSync(rowsDir)
  .filter((f) => f.endsWith('.mjs'))
  .filter((f) => !args.only?.length || args.only.some((o) => f.includes(o)))
  .sort();

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  os: `${osType()} ${release()}`,
  node: process.version,
};

const tmp = mkdtempSync(join(tmpdir(), 'socket-lab-bench-'));
const rows = [];
let failed = false;
try {
  for (const file of files) {
    const name = basename(file, '.mjs');
    const own = join(tmp, name);
    mkdirSync(own);
    const started = performance.now();
    try {
      const { default: run } = await import(pathToFileURL(join(rowsDir, file)).href);
      const produced = await run({ smoke: args.smoke, tmp: own });
      for (const r of produced) rows.push({ file: name, ...r });
    } catch (err) {
      failed = true;
      rows.push({ file: name, row: `${name}: failed`, value: null, unit: '', peer: null, peerValue: null, ratio: null, target: null, error: String(err?.stack ?? err) });
    }
    if (!args.json) process.stderr.write(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

/** A number as a person reads it: 3 significant digits, thousands separated. */
function shown(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'number') return String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

if (!args.json) {
  const table = [['row', 'value', 'peer', 'peer value', 'ratio', 'target']];
  for (const r of rows) {
    table.push([
      r.row,
      r.value === null ? (r.error ? 'ERROR' : '—') : `${shown(r.value)} ${r.unit}`,
      r.peer ?? '—',
      r.peerValue === null || r.peerValue === undefined ? '—' : `${shown(r.peerValue)} ${r.unit}`,
      r.ratio === null || r.ratio === undefined ? '—' : r.ratio.toFixed(2),
      r.target ?? '—',
    ]);
  }
  const widths = table[0].map((_, c) => Math.max(...table.map((line) => String(line[c]).length)));
  const line = (cells) => `| ${cells.map((cell, c) => String(cell).padEnd(widths[c])).join(' | ')} |`;
  console.log(line(table[0]));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const cells of table.slice(1)) console.log(line(cells));
  console.log(`\n${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}${args.smoke ? ' (smoke: tiny inputs, numbers mean nothing)' : ''}\n`);
  for (const r of rows.filter((x) => x.error)) console.error(`${r.row}\n${r.error}\n`);
}
console.log(JSON.stringify({ smoke: args.smoke, machine, rows }));
process.exitCode = failed ? 1 : 0;
