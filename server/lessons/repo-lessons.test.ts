/** The lessons in the repository: they load, in every language, and refer only to real facts. */
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { factNames, markNames } from './facts/index.js';
import { loadLessons } from './load.js';
import { references } from './markdown.js';
import { Lesson, LessonSummary } from './schema.js';

const lessonsDir = fileURLToPath(new URL('../../lessons', import.meta.url));

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
