#!/usr/bin/env node
/**
 * Timeline and ladder benchmark (not a test: it measures and reports, it never fails on a number).
 *
 *   npm run bench:timeline            # 10,000 events, the timeline in every lane mode
 *   npm run bench:timeline -- --n 20000 --mode programs
 *   npm run bench:ladder              # 10,000 events, the ladder (one connection, most of the run)
 *
 * Builds the benchmark page (web/bench: one view alone over a made-up run), serves it on
 * 127.0.0.1, opens it in Debian's Chromium (headless) with Playwright, then
 * - first render: from the run's events to the first rows on screen (building the model
 *   included, making up the run not);
 * - stepping: ArrowDown through 300 steps with focus in the timeline (the ladder: 300 next
 *   steps, as → does), then 60 jumps to far steps (as Home/End, a lesson link or the URL do);
 * - scrolling: 150 wheel turns down and up, then 60 jumps of the scroll position;
 * and reports the longest main-thread task in each phase (PerformanceObserver `longtask`:
 * only tasks over 50 ms are reported by the browser, so "none" means every task was shorter),
 * the slowest action measured from its start to the next frame, and the most rows ever in the
 * DOM.
 */
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { chromium } from '@playwright/test';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    mode: { type: 'string', multiple: true },
    view: { type: 'string', default: 'timeline' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
const COUNT = Number(args.n);
const VIEW = args.view === 'ladder' ? 'ladder' : 'timeline';
const MODES = VIEW === 'ladder' ? ['one connection'] : args.mode?.length ? args.mode : ['programs', 'connections', 'stages'];
/** A drawn row, and the view's scroll box. */
const ROW = VIEW === 'ladder' ? 'svg.ladder [data-step]' : '[role="option"]';
const BOX = VIEW === 'ladder' ? '.ladder-box' : '.tl-box';
const here = fileURLToPath(new URL('.', import.meta.url));

// ------------------------------------------------------------------ build and serve the page

const outDir = mkdtempSync(join(tmpdir(), 'socket-lab-bench-'));
await build({
  root: here,
  configFile: false,
  logLevel: 'warn',
  plugins: [svelte({ configFile: false })],
  build: { outDir, emptyOutDir: true },
});

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  let file = join(outDir, path === '/' ? 'index.html' : path);
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());

// ------------------------------------------------------------------ measure

const browser = await chromium.launch({
  executablePath: args.chromium,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** Installed before the page's own scripts: every long task, by phase. */
function observeLongTasks() {
  const state = { phase: 'load', tasks: [] };
  window.__bench = state;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) state.tasks.push({ phase: state.phase, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/** In the page: runs `action`, then waits for the next frame to be drawn; ms from start to then. */
function timedInPage(action) {
  return `(async () => {
    const t0 = performance.now();
    ${action};
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return performance.now() - t0;
  })()`;
}

async function measure(mode) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.addInitScript(observeLongTasks);
  await page.goto(`http://127.0.0.1:${port}/?n=${COUNT}&view=${VIEW}&mode=${mode}`);
  await page.waitForFunction(() => window.benchReady !== undefined, null, { timeout: 60_000 });
  const ready = await page.evaluate(() => window.benchReady);
  let maxRows = ready.rows;
  const sampleRows = async () => {
    maxRows = Math.max(maxRows, await page.locator(ROW).count());
  };
  const phase = (name) => page.evaluate((n) => (window.__bench.phase = n), name);
  const slowest = { stepping: 0, scrolling: 0 };
  const count = await page.evaluate(() => window.bench.count);

  // Stepping: keys with focus in the list, then far jumps.
  await phase('stepping');
  await page.locator(ROW).first().click();
  for (let i = 0; i < 300; i++) {
    if (VIEW === 'ladder') {
      const ms = await page.evaluate(timedInPage(`window.bench.select(window.bench.stepAt(${i + 1}))`));
      slowest.stepping = Math.max(slowest.stepping, ms);
    } else {
      await page.keyboard.press('ArrowDown');
    }
    if (i % 25 === 0) await sampleRows();
  }
  const jumps = Array.from({ length: 60 }, (_, i) => Math.floor(((i * 7919) % 997) / 997 * count));
  jumps.push(count - 1, 0);
  for (const step of jumps) {
    const ms = await page.evaluate(timedInPage(`window.bench.select(${step})`));
    slowest.stepping = Math.max(slowest.stepping, ms);
    await sampleRows();
  }
  const selectedShown = await page.evaluate(([row, box]) => {
    const el = document.querySelector(`${row}[data-step="${window.bench.selected + 1}"]`);
    const b = document.querySelector(box);
    if (!el || !b) return false;
    const r = el.getBoundingClientRect();
    const br = b.getBoundingClientRect();
    return r.top >= br.top && r.bottom <= br.bottom;
  }, [ROW, BOX]);

  // Scrolling: the wheel, then jumps of the scroll position (a dragged scroll bar).
  await phase('scrolling');
  const box = page.locator(BOX);
  const rect = await box.boundingBox();
  await page.mouse.move(rect.x + rect.width / 2, rect.y + rect.height / 2);
  for (let i = 0; i < 150; i++) {
    await page.mouse.wheel(0, i < 100 ? 900 : -900);
    if (i % 10 === 0) {
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(undefined))));
      await sampleRows();
    }
  }
  for (let i = 0; i < 60; i++) {
    const to = ((i * 6151) % 1009) / 1009;
    const ms = await page.evaluate(
      timedInPage(`const b = document.querySelector('${BOX}'); b.scrollTop = ${to} * (b.scrollHeight - b.clientHeight)`),
    );
    slowest.scrolling = Math.max(slowest.scrolling, ms);
    await sampleRows();
  }

  const tasks = await page.evaluate(() => window.__bench.tasks);
  const longest = (name) => Math.max(0, ...tasks.filter((t) => t.phase === name).map((t) => t.duration));
  await page.close();
  return {
    mode,
    events: count,
    firstRenderMs: ready.firstRenderMs,
    modelMs: ready.modelMs,
    longestTaskLoadMs: longest('load'),
    longestTaskSteppingMs: longest('stepping'),
    longestTaskScrollingMs: longest('scrolling'),
    slowestStepToFrameMs: slowest.stepping,
    slowestScrollToFrameMs: slowest.scrolling,
    maxDomRows: maxRows,
    selectedInView: selectedShown,
  };
}

const fmt = (ms) => (ms === 0 ? 'none > 50' : `${ms.toFixed(1)}`);
try {
  const version = browser.version();
  console.log(`${VIEW === 'ladder' ? 'Ladder' : 'Timeline'} benchmark: ${COUNT} events, Chromium ${version}`);
  for (const mode of MODES) {
    const r = await measure(mode);
    console.log(
      [
        `\n${r.mode} (${r.events} rows in the model)`,
        `  first render (model + first rows on screen): ${r.firstRenderMs.toFixed(1)} ms (model ${r.modelMs.toFixed(1)} ms)`,
        `  longest main-thread task, loading:   ${fmt(r.longestTaskLoadMs)} ms`,
        `  longest main-thread task, stepping:  ${fmt(r.longestTaskSteppingMs)} ms`,
        `  longest main-thread task, scrolling: ${fmt(r.longestTaskScrollingMs)} ms`,
        `  slowest step, start to next frame:   ${r.slowestStepToFrameMs.toFixed(1)} ms`,
        `  slowest scroll jump, to next frame:  ${r.slowestScrollToFrameMs.toFixed(1)} ms`,
        `  most rows in the DOM:                ${r.maxDomRows}`,
        `  selected step scrolled into view:    ${r.selectedInView ? 'yes' : 'no'}`,
      ].join('\n'),
    );
  }
} finally {
  await browser.close();
  server.close();
  rmSync(outDir, { recursive: true, force: true });
}
