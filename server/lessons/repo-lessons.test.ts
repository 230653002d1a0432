/** The lessons in the repository: they load, in every language, and refer only to real facts. */
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import MarkdownIt from 'markdown-it';
import { Value } from 'typebox/value';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeCapture } from '../capture/probe.js';
import { runExperiment } from '../runner/run.js';
import { ensureRunnerBuilt } from '../runner/vitest-global-setup.js';
import type { CaptureInfo } from '../contract/trace.js';
import { paramsMatch } from '../contract/experiment.js';
import { labCatalog } from '../experiments/registry.js';
import { loadLessons } from './load.js';
import { references } from './markdown.js';
import { Lesson, LessonSummary } from '../contract/lessons.js';

const lessonsDir = fileURLToPath(new URL('../../lessons', import.meta.url));
const markdown = new MarkdownIt({ html: false });

describe('the repository lessons', async () => {
  const catalog = await labCatalog();
  const set = await loadLessons(lessonsDir, catalog);
  const folders = (await readdir(lessonsDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && /^\d/.test(e.name))
    .map((e) => e.name);

  it('are all listed, in order, in both languages', () => {
    expect(folders.length).toBeGreaterThan(0);
    for (const lang of ['en', 'zh-CN']) {
      const list = set.list(lang);
      expect(list.map((l) => l.id).sort()).toEqual([...folders].sort());
      for (const summary of list) expect(Value.Check(LessonSummary, summary)).toBe(true);
      const orders = list.map((l) => l.order);
      expect(orders).toEqual([...orders].sort((a, b) => a - b));
    }
  });

  for (const id of folders) {
    it(`${id}: is written in en and zh-CN and names only facts and marks its experiment produces`, () => {
      for (const lang of ['en', 'zh-CN']) {
        const lesson = set.get(id, lang);
        expect(Value.Check(Lesson, lesson)).toBe(true);
        expect(lesson.lang).toBe(lang);
        expect(lesson.blocks.filter((b) => b.type === 'predict').length).toBeGreaterThanOrEqual(1);

        const facts = new Set(catalog.info(lesson.experiment).facts);
        const marks = new Set(catalog.info(lesson.experiment).marks);
        const used = references(lesson.blocks);
        expect(used.facts.filter((f) => !facts.has(f)), `${id}/${lang}.md: unknown facts`).toEqual([]);
        expect(used.marks.filter((m) => !marks.has(m)), `${id}/${lang}.md: unknown marks`).toEqual([]);
        for (const preset of lesson.presets) expect(preset.label.length).toBeGreaterThan(0);
        const texts = lesson.blocks.flatMap((b) => (b.type === 'markdown' ? [b.text] : [b.ask, b.explain ?? '']));
        const html = texts.map((t) => markdown.render(t)).join('\n');
        // Inside `code` a placeholder is shown as written, not filled.
        expect(html.match(/<code>[^<]*\{\{[^<]*<\/code>/g) ?? [], `${id}/${lang}.md: {{fact}} in code`).toEqual([]);
        // Emphasis that Markdown could not close shows up as literal asterisks.
        const prose = html.replace(/<code>[^<]*<\/code>/g, '');
        expect(prose.match(/.{0,20}\*\*.{0,20}/g) ?? [], `${id}/${lang}.md: unclosed **`).toEqual([]);
      }
    });
  }

});

describe('the repository lessons on real runs', async () => {
  const catalog = await labCatalog();
  const set = await loadLessons(lessonsDir, catalog);
  let capture: CaptureInfo;

  beforeAll(async () => {
    ensureRunnerBuilt();
    capture = await probeCapture({ ...process.env, SOCKET_LAB_CAPTURE: '' });
  }, 180_000);

  for (const summary of set.list('en')) {
    it(`${summary.id}: every preset runs, and every question's right answer is among its choices on the run it assumes`, async () => {
      const lesson = set.get(summary.id, 'en');
      const runs = [{ id: 'lesson', params: lesson.params }, ...lesson.presets];
      const predicts = lesson.blocks.flatMap((b) => (b.type === 'predict' ? [b] : []));
      const answered = new Set<string>();
      const outside = catalog.get(lesson.experiment).outside;
      for (const run of runs) {
        // A run that waits for a client from outside the lab does not end on its own: its experiment's tests run it.
        if (outside?.(catalog.resolveParams(lesson.experiment, run.params))) continue;
        const trace = await runExperiment({ experiments: catalog, experiment: lesson.experiment, params: run.params, capture });
        expect(trace.outcome, run.id).toEqual({ ok: true });
        const resolved = catalog.resolveParams(lesson.experiment, run.params);
        const { values } = catalog.facts(trace);
        for (const block of predicts) {
          const about = block.assumes;
          // A question is graded only on the run it is about: its preset, or any run with its parameters.
          const applies = about ? (about.preset !== undefined ? about.preset === run.id : paramsMatch(resolved, about.params)) : run.id === 'lesson';
          if (!applies) continue;
          answered.add(block.id);
          const choices = block.choices.map((c) => c.value);
          expect(choices, `${run.id}: ${block.id}: ${block.answer} = ${values[block.answer]}`).toContain(values[block.answer]);
        }
      }
      expect([...answered].sort(), 'questions with no run to grade them').toEqual(predicts.map((b) => b.id).sort());
    });
  }
});
