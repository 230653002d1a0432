/**
 * What differs between two runs of the byte stream: their counts and verdicts side by side
 * ("reads: 1 vs 5"), and the parameters that were set differently. DOM-free.
 */
import type { StreamAnalysis } from '../../../../server/contract/byte-stream.ts';

export const COMPARED = ['messages', 'writes', 'segments', 'reads', 'exact', 'verdict'] as const;
export type Compared = (typeof COMPARED)[number];

export interface Difference {
  what: Compared;
  a: string | number;
  b: string | number;
  same: boolean;
}

function valueOf(s: StreamAnalysis, what: Compared): string | number {
  if (what === 'verdict') return s.verdict;
  if (what === 'segments' && !s.captured) return '—';
  return s.counts[what];
}

/** Each count of the two runs, differing ones first (in the order of COMPARED). */
export function compareStreams(a: StreamAnalysis, b: StreamAnalysis): Difference[] {
  const all = COMPARED.map((what) => {
    const va = valueOf(a, what);
    const vb = valueOf(b, what);
    return { what, a: va, b: vb, same: va === vb };
  });
  return [...all.filter((d) => !d.same), ...all.filter((d) => d.same)];
}

/** The parameters set differently in the two runs (either's value, with the other's default filled in). */
export function paramDifferences(
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
): { name: string; a: unknown; b: unknown }[] {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return names.filter((n) => a[n] !== b[n]).map((name) => ({ name, a: a[name], b: b[name] }));
}
