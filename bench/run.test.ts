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
    const files = readdirSync(join(root, 'bench/rows')).filter((f) => f.endsWith('.mjs'));
    expect(new Set(report.rows.map((r) => `${r.file}.mjs`))).toEqual(new Set(files));
    for (const r of report.rows) {
      expect(Number.isFinite(r.value), r.row).toBe(true);
      expect(r.value!, r.row).toBeGreaterThan(0);
      if (r.peerValue !== null) expect(r.ratio, r.row).toBeCloseTo(r.unit === 'packets/s' ? r.value! / r.peerValue : r.peerValue / r.value!, 6);
    }
    const decode = report.rows.filter((r) => r.file === 'decode').map((r) => r.row);
    expect(decode).toContainEqual(expect.stringMatching(/^summary decode, 2,000 synthetic TCP packets$/));
  });
});
