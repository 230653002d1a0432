/**
 * The benchmark suite still runs: its smoke mode (tiny inputs) goes through every row file and
 * reports rows with numbers, writing nothing outside its temporary folder. It says nothing about
 * speed; the numbers are the benchmark's (`npm run bench`).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

interface Row {
  file: string;
  row: string;
  value: number | null;
  unit: string;
  peer: string | null;
  peerValue: number | null;
  ratio: number | null;
  target: string | null;
  error?: string;
}

describe('npm run bench -- --smoke', () => {
  it('runs every row file and reports a number for every row, leaving no files behind', () => {
    const before = new Set(readdirSync(tmpdir()));
    const result = spawnSync(process.execPath, ['bench/run.mjs', '--smoke', '--json'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    const after = readdirSync(tmpdir()).filter((name) => !before.has(name) && name.startsWith('socket-lab-bench-'));
    expect(after).toEqual([]);
    const report = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { smoke: boolean; machine: { cores: number }; rows: Row[] };
    expect(report.rows.filter((r) => r.error)).toEqual([]);
    expect(result.status).toBe(0);
    expect(report.smoke).toBe(true);
    expect(report.machine.cores).toBeGreaterThan(0);
    // Every row file ran (a row file may give no rows where what it measures is not available).
    const files = readdirSync(join(root, 'bench/rows')).filter((f) => f.endsWith('.mjs'));
    expect(files.length).toBeGreaterThan(0);
    for (const r of report.rows) {
      expect(files, r.row).toContain(`${r.file}.mjs`);
      expect(Number.isFinite(r.value), r.row).toBe(true);
      expect(r.value!, r.row).toBeGreaterThan(0);
      if (r.peerValue !== null) {
        expect(Number.isFinite(r.ratio) && r.ratio! > 0, r.row).toBe(true);
        expect(r.target === null || typeof r.target === 'string', r.row).toBe(true);
      }
    }
    // The decode rows: ours against tcpdump, a rate, higher is better.
    const decode = report.rows.find((r) => r.file === 'decode' && r.row === 'summary decode, 2,000 synthetic TCP packets' && r.peer === 'tcpdump -nr');
    expect(decode).toBeDefined();
    if (decode!.peerValue !== null) expect(decode!.ratio).toBeCloseTo(decode!.value! / decode!.peerValue, 6);
    // The suite's own limit (spawnSync's timeout above), not the default for one test.
  }, 150_000);
});
