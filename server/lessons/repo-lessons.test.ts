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
import { computeFacts, factNames, markNames } from './facts/index.js';
import { loadLessons } from './load.js';
import { references } from './markdown.js';
import { Lesson, LessonSummary } from '../contract/lessons.js';

const lessonsDir = fileURLToPath(new URL('../../lessons', import.meta.url));
const markdown = new MarkdownIt({ html: false });

describe('the repository lessons', async () => {
  const set = await loadLessons(lessonsDir);
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

        const facts = new Set(factNames(lesson.experiment));
        const marks = new Set(markNames(lesson.experiment));
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

  it('02-tcp-handshake asks at least three predict-then-run questions', () => {
    const lesson = set.get('02-tcp-handshake', 'en');
    expect(lesson.blocks.filter((b) => b.type === 'predict').length).toBeGreaterThanOrEqual(3);
    expect(lesson.presets.map((p) => p.id)).toEqual(
      expect.arrayContaining(['peer-waits', 'rst-destroy', 'closed-port', 'ipv6']),
    );
  });
});

describe('02-tcp-handshake on real runs', async () => {
  const set = await loadLessons(lessonsDir);
  const lesson = set.get('02-tcp-handshake', 'en');
  let capture: CaptureInfo;

  beforeAll(async () => {
    ensureRunnerBuilt();
    capture = await probeCapture({ ...process.env, SOCKET_LAB_CAPTURE: '' });
  }, 180_000);

  it('with the lesson defaults, every question has its right answer among the choices', async () => {
    const trace = await runExperiment({ experiment: lesson.experiment, params: lesson.params, capture });
    const { values } = computeFacts(trace);
    for (const block of lesson.blocks) {
      if (block.type !== 'predict') continue;
      const choices = block.choices.map((c) => c.value);
      expect(choices, `${block.id}: ${block.answer} = ${values[block.answer]}`).toContain(values[block.answer]);
    }
  });

  it('every preset runs, and the closed-port question is answered by its preset', async () => {
    for (const preset of lesson.presets) {
      const trace = await runExperiment({ experiment: lesson.experiment, params: preset.params, capture });
      expect(trace.outcome, preset.id).toEqual({ ok: true });
      if (preset.id === 'closed-port') {
        const question = lesson.blocks.find((b) => b.type === 'predict' && b.id === 'closed-port');
        const value = computeFacts(trace).values['connect.error'];
        expect(question?.type === 'predict' && question.choices.map((c) => c.value)).toContain(value);
        expect(value).not.toBe('none');
      }
    }
  });
});
