/**
 * Reads the lessons folder: one folder per lesson, `NN-slug`, holding `lesson.yaml` and one
 * `<lang>.md` per language (`en.md` required). Everything is checked at load; a bad lesson
 * fails the load with LESSON_INVALID naming each file, line and field at fault.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ExperimentInfo, Params } from '../contract/experiment.js';
import type { LessonBlock } from '../contract/lessons.js';
import { LabError } from '../errors.js';
import type { ExperimentCatalog } from '../experiments/registry.js';
import { LessonFile, type Lesson, type LessonSummary } from './schema.js';
import { parseLessonMarkdown, type LessonText } from './markdown.js';
import { checkYaml, type Locate } from './yaml-check.js';

export const DEFAULT_LANG = 'en';

const LESSON_DIR = /^(\d{1,4})-[a-z0-9][a-z0-9-]*$/;
const LANG_FILE = /^([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.md$/;

export interface LessonSet {
  /** Every lesson in `lang` (or `en` where it lacks `lang`), sorted by order. */
  list(lang: string): LessonSummary[];
  /** One lesson in `lang` (or `en`). Unknown id: LabError LESSON_NOT_FOUND (404). */
  /** `withNotes`: include the speaker notes (the caller checked the control token). */
  get(id: string, lang: string, withNotes?: boolean): Lesson;
}

/** A preset as the lesson offers it: the parameters it sets over the lesson's, and its labels. */
interface LessonPreset {
  id: string;
  label: Record<string, string>;
  params: Params;
}

interface LoadedLesson {
  id: string;
  order: number;
  file: LessonFile;
  presets: LessonPreset[];
  /** By language; `en` always present. */
  texts: Map<string, LessonText>;
}

/**
 * Loads and checks every lesson under `dir` against the experiments it uses: the experiment
 * exists; the lesson's parameters and presets are valid for it; every predict block's answer is
 * one of its facts, and the preset or parameters it assumes exist; every `{{fact}}` and
 * `#step:mark` is one the experiment provides. Each problem names its file and line.
 */
export async function loadLessons(dir: string, experiments: ExperimentCatalog): Promise<LessonSet> {
  const shown = basename(dir);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new LabError('LESSON_INVALID', `cannot read the lessons folder ${dir}: ${errorText(err)}`, 500);
  }

  const issues: string[] = [];
  const lessons: LoadedLesson[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
    const match = LESSON_DIR.exec(entry.name);
    if (!match) {
      issues.push(`${shown}/${entry.name}: a lesson folder is named NN-slug (e.g. 02-tcp-handshake)`);
      continue;
    }
    const loaded = await loadLesson(join(dir, entry.name), `${shown}/${entry.name}`, entry.name, Number(match[1]), experiments);
    if ('issues' in loaded) issues.push(...loaded.issues);
    else lessons.push(loaded);
  }

  const byOrder = new Map<number, string>();
  for (const lesson of lessons) {
    const other = byOrder.get(lesson.order);
    if (other) issues.push(`${shown}/${lesson.id}: order ${lesson.order} is also used by ${other}`);
    byOrder.set(lesson.order, lesson.id);
  }
  if (issues.length > 0) {
    throw new LabError('LESSON_INVALID', `lessons are not valid:\n${issues.join('\n')}`, 500);
  }
  lessons.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  return makeSet(lessons);
}

async function loadLesson(
  path: string,
  shown: string,
  id: string,
  order: number,
  experiments: ExperimentCatalog,
): Promise<LoadedLesson | { issues: string[] }> {
  const issues: string[] = [];
  let names: string[];
  try {
    names = (await readdir(path)).sort();
  } catch (err) {
    return { issues: [`${shown}: cannot read: ${errorText(err)}`] };
  }

  let file: LessonFile | undefined;
  let locate: Locate = () => `${shown}/lesson.yaml:1`;
  if (!names.includes('lesson.yaml')) {
    issues.push(`${shown}/lesson.yaml: missing (it names the experiment)`);
  } else {
    const checked = checkYaml(LessonFile, await readFile(join(path, 'lesson.yaml'), 'utf8'), `${shown}/lesson.yaml`);
    if (checked.ok) {
      file = checked.value;
      if (checked.locate) locate = checked.locate;
    } else issues.push(...checked.issues);
  }
  let info: ExperimentInfo | undefined;
  if (file && !experiments.has(file.experiment)) {
    const known = experiments.list().map((e) => e.id).join(', ');
    issues.push(`${locate(['experiment'])}: no experiment "${file.experiment}" (known: ${known})`);
  } else if (file) {
    info = experiments.info(file.experiment);
  }
  const presets = file && info ? checkPresets(file, info, experiments, locate, issues) : [];

  const texts = new Map<string, LessonText>();
  for (const name of names) {
    const lang = LANG_FILE.exec(name)?.[1];
    if (!lang) continue;
    const parsed = parseLessonMarkdown(await readFile(join(path, name), 'utf8'), `${shown}/${name}`);
    if (parsed.ok) texts.set(lang, parsed.value);
    else issues.push(...parsed.issues);
  }
  if (!names.includes(`${DEFAULT_LANG}.md`)) issues.push(`${shown}/${DEFAULT_LANG}.md: missing (every lesson has English)`);

  // Translations ask the same questions, answered by the same facts with the same choices.
  const en = texts.get(DEFAULT_LANG);
  for (const [lang, text] of texts) {
    if (!en || lang === DEFAULT_LANG) continue;
    const want = predictShape(en);
    const got = predictShape(text);
    if (want !== got) {
      issues.push(
        `${shown}/${lang}.md: its predict blocks differ from ${DEFAULT_LANG}.md in id, answer, choice values or the run they assume ` +
          `(${DEFAULT_LANG}: ${want || 'none'}; ${lang}: ${got || 'none'})`,
      );
    }
  }

  if (info) {
    for (const [lang, text] of texts) {
      checkReferences(text, `${shown}/${lang}.md`, info, presets, experiments, issues);
      await checkLineLinks(text, `${shown}/${lang}.md`, info, experiments, issues);
    }
  }

  if (issues.length > 0 || !file) return { issues };
  return { id, order, file, presets, texts };
}

function predictShape(text: LessonText): string {
  return text.blocks
    .flatMap((b) => {
      if (b.type !== 'predict') return [];
      const { preset, when } = b as typeof b & { preset?: string; when?: Params };
      const about = preset !== undefined || when !== undefined ? `@${JSON.stringify({ preset, when })}` : '';
      return [`${b.id}=${b.answer}[${b.choices.map((c) => String(c.value))}]${about}`];
    })
    .join(' ');
}

function makeSet(lessons: LoadedLesson[]): LessonSet {
  const byId = new Map(lessons.map((l) => [l.id, l]));
  const pick = (lesson: LoadedLesson, lang: string) => {
    const served = lesson.texts.has(lang) ? lang : DEFAULT_LANG;
    return { served, text: lesson.texts.get(served)! };
  };

  return {
    list(lang) {
      return lessons.map((lesson) => {
        const { served, text } = pick(lesson, lang);
        return {
          id: lesson.id,
          order: lesson.order,
          title: text.title,
          summary: text.summary,
          experiment: lesson.file.experiment,
          lang: served,
        };
      });
    },
    get(id, lang, withNotes = false) {
      const lesson = byId.get(id);
      if (!lesson) throw new LabError('LESSON_NOT_FOUND', `no lesson '${id}'`, 404);
      const { served, text } = pick(lesson, lang);
      const params = { ...(lesson.file.params ?? {}) };
      return {
        id: lesson.id,
        order: lesson.order,
        lang: served,
        languages: [DEFAULT_LANG, ...[...lesson.texts.keys()].filter((l) => l !== DEFAULT_LANG).sort()],
        title: text.title,
        summary: text.summary,
        experiment: lesson.file.experiment,
        params,
        presets: lesson.presets.map((preset) => ({
          id: preset.id,
          label: labelIn(preset.label, served, lang),
          params: { ...params, ...preset.params },
        })),
        blocks: text.blocks.map((block) => servedBlock(block, lesson.presets)),
        ...(withNotes && text.instructorNotes ? { instructorNotes: text.instructorNotes } : {}),
      };
    },
  };
}

function labelIn(label: Record<string, string>, served: string, asked: string): string {
  for (const lang of [asked, served, DEFAULT_LANG]) {
    if (Object.hasOwn(label, lang) && typeof label[lang] === 'string') return label[lang];
  }
  return '';
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The lesson's presets: its own, and the experiment's it names by id. Problems go to `issues`. */
function checkPresets(
  file: LessonFile,
  info: ExperimentInfo,
  experiments: ExperimentCatalog,
  locate: Locate,
  issues: string[],
): LessonPreset[] {
  let base: Params = {};
  const check = (params: Params, path: (string | number)[]) => {
    try {
      experiments.resolveParams(info.id, { ...base, ...params });
      return true;
    } catch (err) {
      // Point at the parameter the message names, when it is there.
      const name = /parameter "([^"]+)"/i.exec(errorText(err))?.[1];
      const at = name !== undefined && Object.hasOwn(params, name) ? [...path, name] : path;
      issues.push(`${locate(at)}: ${errorText(err)}`);
      return false;
    }
  };
  if (check(file.params ?? {}, ['params'])) base = file.params ?? {};
  const presets: LessonPreset[] = [];
  (file.presets ?? []).forEach((entry, i) => {
    let preset: LessonPreset;
    if (typeof entry === 'string') {
      const own = info.presets.find((p) => p.id === entry);
      if (!own) {
        const known = info.presets.map((p) => p.id).join(', ') || 'none';
        issues.push(`${locate(['presets', i])}: the experiment ${info.id} has no preset "${entry}" (it has: ${known})`);
        return;
      }
      preset = { id: entry, label: { en: info.texts.en.presets[entry] ?? entry, 'zh-CN': info.texts['zh-CN'].presets[entry] ?? entry }, params: own.params };
    } else {
      preset = { id: entry.id, label: entry.label, params: entry.params };
      if (!check(entry.params, ['presets', i, 'params'])) return;
    }
    if (presets.some((p) => p.id === preset.id)) {
      issues.push(`${locate(['presets', i])}: preset id '${preset.id}' is used twice`);
      return;
    }
    presets.push(preset);
  });
  return presets;
}

const FACT = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;
const MARK = /\]\(#step:([A-Za-z0-9_.-]+)\)/g;
/** `[text](#compare:presetA,presetB)`: a link that runs two of the lesson's presets and compares them. */
const COMPARE = /\]\(#compare:([a-z0-9-]+),([a-z0-9-]+)\)/g;

/** `[`code`](#line:file.py)`: a link to the line of a program that holds `code`. */
const LINE_LINK = /\[`([^`]+)`\]\(#line:([A-Za-z0-9_.-]+)\)/g;

/** Every link to a program's line names a program file of the experiment and code that is in it. */
async function checkLineLinks(text: LessonText, file: string, info: ExperimentInfo, experiments: ExperimentCatalog, issues: string[]): Promise<void> {
  const links = text.lines.flatMap((line, i) => [...line.matchAll(LINE_LINK)].map((m) => ({ code: m[1]!, program: m[2]!, at: i + 1 })));
  if (links.length === 0) return;
  const sources = new Map<string, string>();
  for (const { lang, files } of info.programs) {
    if (files.length === 0) continue;
    for (const f of (await experiments.programFiles(info.id, lang)).files) sources.set(f.name, f.source);
  }
  for (const link of links) {
    const source = sources.get(link.program);
    if (source === undefined) {
      issues.push(`${file}:${link.at}: #line:${link.program} is not a program of ${info.id} (it has: ${[...sources.keys()].join(', ') || 'none'})`);
    } else if (!source.split('\n').some((line) => line.includes(link.code))) {
      issues.push(`${file}:${link.at}: no line of ${link.program} holds \`${link.code}\``);
    }
  }
}

/** Every fact, mark, answer, preset and parameter a lesson text uses exists. */
function checkReferences(
  text: LessonText,
  file: string,
  info: ExperimentInfo,
  presets: readonly LessonPreset[],
  experiments: ExperimentCatalog,
  issues: string[],
): void {
  const facts = new Set(info.facts);
  const marks = new Set(info.marks);
  text.lines.forEach((line, i) => {
    for (const m of line.matchAll(FACT)) {
      if (!facts.has(m[1]!)) issues.push(`${file}:${i + 1}: {{${m[1]}}} is not a fact of ${info.id} (it has: ${info.facts.join(', ') || 'none'})`);
    }
    for (const m of line.matchAll(MARK)) {
      if (!marks.has(m[1]!)) issues.push(`${file}:${i + 1}: #step:${m[1]} is not a step mark of ${info.id} (it has: ${info.marks.join(', ') || 'none'})`);
    }
    for (const m of line.matchAll(COMPARE)) {
      for (const id of [m[1]!, m[2]!]) {
        if (!presets.some((p) => p.id === id)) issues.push(`${file}:${i + 1}: #compare:${m[1]},${m[2]}: the lesson has no preset "${id}" (it has: ${presets.map((p) => p.id).join(', ') || 'none'})`);
      }
    }
  });
  for (const block of text.blocks) {
    if (block.type === 'markdown') {
      if (block.when === undefined) continue;
      try {
        experiments.resolveParams(info.id, block.when);
      } catch (err) {
        issues.push(`${text.whenAt.get(block) ?? file}: '::: when': ${errorText(err)}`);
      }
      continue;
    }
    const at = text.predictAt.get(block.id) ?? (() => file);
    const source = block as typeof block & { preset?: string; when?: Params };
    if (!facts.has(block.answer)) issues.push(`${at(['answer'])}: answer "${block.answer}" is not a fact of ${info.id}`);
    if (source.preset !== undefined && !presets.some((p) => p.id === source.preset)) {
      issues.push(`${at(['preset'])}: the lesson has no preset "${source.preset}" (it has: ${presets.map((p) => p.id).join(', ') || 'none'})`);
    }
    if (source.when !== undefined) {
      try {
        experiments.resolveParams(info.id, source.when);
      } catch (err) {
        issues.push(`${at(['when'])}: ${errorText(err)}`);
      }
    }
  }
}

/** A block as served: a predict block says which run it is about (`assumes`). */
function servedBlock(block: LessonBlock, presets: readonly LessonPreset[]): LessonBlock {
  if (block.type !== 'predict') return structuredClone(block);
  const { preset, when, ...rest } = block as typeof block & { preset?: string; when?: Params };
  const served: LessonBlock = structuredClone(rest);
  const fromPreset = preset === undefined ? undefined : presets.find((p) => p.id === preset);
  if (fromPreset) served.assumes = { preset: fromPreset.id, params: { ...fromPreset.params, ...(when ?? {}) } };
  else if (when) served.assumes = { params: { ...when } };
  return served;
}
