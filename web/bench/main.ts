/**
 * The benchmark page: the Timeline alone, over a made-up run of `?n=` events in `?mode=`
 * lanes. It says when its first rows are on screen (`window.benchReady`) and lets the script
 * select steps (`window.bench.select`). Built and driven by `timeline.bench.mjs`.
 */
import { mount } from 'svelte';
import '../src/app.css';
import BenchApp from './BenchApp.svelte';
import { syntheticTrace } from '../src/views/timeline/synthetic.ts';
import { buildTimeline, type LaneMode } from '../src/views/timeline/timeline-model.ts';

declare global {
  interface Window {
    benchReady?: { firstRenderMs: number; traceMs: number; modelMs: number; sinceNavigationMs: number; rows: number };
  }
}

const query = new URLSearchParams(location.search);
const count = Number(query.get('n') ?? 10_000);
const mode = (query.get('mode') ?? 'programs') as LaneMode;
const target = document.getElementById('app')!;

// Making up the run is not the page's work; building the model from it is.
const t0 = performance.now();
const trace = syntheticTrace(count);
const t1 = performance.now();
const model = buildTimeline(trace.events, trace.lanes, mode);
const t2 = performance.now();
const noteText = (step: number): string => {
  const e = trace.events[step];
  return e?.kind === 'note' ? e.key : '';
};
mount(BenchApp, { target, props: { model, noteText } });
requestAnimationFrame(() =>
  requestAnimationFrame(() => {
    window.benchReady = {
      firstRenderMs: performance.now() - t1,
      traceMs: t1 - t0,
      modelMs: t2 - t1,
      sinceNavigationMs: performance.now(),
      rows: document.querySelectorAll('[role="option"]').length,
    };
  }),
);
