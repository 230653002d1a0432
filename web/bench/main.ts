/**
 * The benchmark page: the Timeline (`?view=timeline`, over `?mode=` lanes) or the Ladder
 * (`?view=ladder`, one connection that carries most of the run) alone, over a made-up run of
 * `?n=` events. It says when its first rows are on screen (`window.benchReady`) and lets the
 * script select steps (`window.bench.select`). Built and driven by `timeline.bench.mjs`.
 */
import { mount } from 'svelte';
import '../src/app.css';
import BenchApp from './BenchApp.svelte';
import { buildLadder } from '../src/views/ladder/ladder-model.ts';
import { syntheticTrace } from '../src/views/timeline/synthetic.ts';
import { buildTimeline, type LaneMode } from '../src/views/timeline/timeline-model.ts';

declare global {
  interface Window {
    benchReady?: { firstRenderMs: number; traceMs: number; modelMs: number; sinceNavigationMs: number; rows: number };
  }
}

const query = new URLSearchParams(location.search);
const count = Number(query.get('n') ?? 10_000);
const view = query.get('view') === 'ladder' ? 'ladder' : 'timeline';
const mode = (query.get('mode') ?? 'programs') as LaneMode;
const target = document.getElementById('app')!;
/** What counts as a drawn row in each view. */
const ROW = view === 'ladder' ? 'svg.ladder [data-step]' : '[role="option"]';

// Making up the run is not the page's work; building the model from it is.
const t0 = performance.now();
const trace = syntheticTrace(count, view === 'ladder' ? 1 : 3);
const t1 = performance.now();
const model =
  view === 'ladder'
    ? { view: 'ladder' as const, ladder: buildLadder(trace.lanes[0]!, trace.events, false) }
    : { view: 'timeline' as const, timeline: buildTimeline(trace.events, trace.lanes, mode) };
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
      rows: document.querySelectorAll(ROW).length,
    };
  }),
);
