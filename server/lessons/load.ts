/**
 * Reads the lessons folder: one folder per lesson, `NN-slug`, holding `lesson.yaml` and one
 * `<lang>.md` per language (`en.md` required). Everything is checked at load; a bad lesson
 * fails the load with LESSON_INVALID naming each file, line and field at fault.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { LabError } from '../errors.js';
import { LessonFile, type Lesson, type LessonSummary } from './schema.js';
import { parseLessonMarkdown, type LessonText } from './markdown.js';
import { checkYaml } from './yaml-check.js';

export const DEFAULT_LANG = 'en';

const LESSON_DIR = /^(\d{1,4})-[a-z0-9][a-z0-9-]*$/;
const LANG_FILE = /^([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.md$/;

export interface LessonSet {
  /** Every lesson in `lang` (or `en` where it lacks `lang`), sorted by order. */
  list(lang: string): LessonSummary[];
  /** One lesson in `lang` (or `en`). Unknown id: LabError LESSON_NOT_FOUND (404). */
  get(id: string, lang: string): Lesson;
}

interface LoadedLesson {
  id: string;
  order: number;
  file: LessonFile;
  /** By language; `en` always present. */
  texts: Map<string, LessonText>;
}

/** Loads and checks every lesson under `dir`. */
export async function loadLessons(dir: string): Promise<LessonSet> {
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
    const loaded = await loadLesson(join(dir, entry.name), `${shown}/${entry.name}`, entry.name, Number(match[1]));
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
): Promise<LoadedLesson | { issues: string[] }> {
  const issues: string[] = [];
  let names: string[];
  try {
    names = (await readdir(path)).sort();
  } catch (err) {
    return { issues: [`${shown}: cannot read: ${errorText(err)}`] };
  }

  let file: LessonFile | undefined;
  if (!names.includes('lesson.yaml')) {
    issues.push(`${shown}/lesson.yaml: missing (it names the experiment)`);
  } else {
    const checked = checkYaml(LessonFile, await readFile(join(path, 'lesson.yaml'), 'utf8'), `${shown}/lesson.yaml`);
    if (checked.ok) file = checked.value;
    else issues.push(...checked.issues);
  }
  const presetIds = (file?.presets ?? []).map((p) => p.id);
  for (const dup of presetIds.filter((p, i) => presetIds.indexOf(p) !== i)) {
    issues.push(`${shown}/lesson.yaml: preset id '${dup}' is used twice`);
  }

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
        `${shown}/${lang}.md: its predict blocks differ from ${DEFAULT_LANG}.md in id, answer or choice values ` +
          `(${DEFAULT_LANG}: ${want || 'none'}; ${lang}: ${got || 'none'})`,
      );
    }
  }

  if (issues.length > 0 || !file) return { issues };
  return { id, order, file, texts };
}

function predictShape(text: LessonText): string {
  return text.blocks
    .flatMap((b) => (b.type === 'predict' ? [`${b.id}=${b.answer}[${b.choices.map((c) => String(c.value))}]`] : []))
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
    get(id, lang) {
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
        presets: (lesson.file.presets ?? []).map((preset) => ({
          id: preset.id,
          label: labelIn(preset.label, served, lang),
          params: { ...params, ...preset.params },
        })),
        blocks: structuredClone(text.blocks),
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
