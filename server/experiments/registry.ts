/**
 * The catalogue of experiments: every folder under `server/experiments/` (and any extra folder
 * given) whose `index` module default-exports an experiment and whose `program` module
 * default-exports its program (lab/define.ts). Nothing else in
 * the tree names an experiment: the API, the CLI, the page and the lesson loader learn each
 * one's parameters, presets, texts, views and facts from here.
 *
 * Each experiment is checked when loaded (its id is its folder's name; every parameter has a
 * default; presets are valid parameters; texts cover every parameter, preset and language);
 * a broken one fails the load with EXPERIMENT_INVALID naming the folder.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TObject, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { basePacketComments } from '../recordings/packet-comments.js';
import { LANGS, ViewSpec, type Lang, type ExperimentInfo, type Params, type ParamValue, type ProgramFiles, type ProgramLang } from '../contract/experiment.js';
import { NO_FACTS, type Facts } from '../contract/facts.js';
import type { Trace } from '../contract/trace.js';
import { LabError } from '../errors.js';
import type { Experiment } from '../lab/define.js';
import { RUNTIMES } from '../lab/runtimes.js';
import { projectRoot } from '../paths.js';
import { CAPTURE_NOTE_TEXTS } from '../contract/capture-notes.js';

/** Applies when an experiment does not set its own limit. */
export const DEFAULT_TIME_LIMIT_MS = 10_000;

/** The folder holding the lab's own experiments (this file's folder). */
export const experimentsDir = dirname(fileURLToPath(import.meta.url));

const FOLDER = /^[a-z][a-z0-9-]{0,63}$/;

let lab: Promise<ExperimentCatalog> | null = null;

/** The lab's own experiments, loaded once. */
export function labCatalog(): Promise<ExperimentCatalog> {
  lab ??= ExperimentCatalog.load([experimentsDir]);
  lab.catch(() => (lab = null));
  return lab;
}

interface Entry {
  experiment: Experiment;
  info: ExperimentInfo;
  /** The compiled program module a run's process imports (it runs JavaScript). */
  runModule: string;
  /** The folder of its program files (`programs/` in its folder). */
  programsDir: string;
}

export class ExperimentCatalog {
  private constructor(private readonly entries: Map<string, Entry>) {}

  /** Loads every experiment folder under each of `dirs` (later folders may not reuse an id). */
  static async load(dirs: readonly string[] = [experimentsDir]): Promise<ExperimentCatalog> {
    const entries = new Map<string, Entry>();
    const issues: string[] = [];
    for (const dir of dirs) {
      let names: string[];
      try {
        names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
      } catch (err) {
        throw new LabError('EXPERIMENT_INVALID', `cannot read the experiments folder ${dir}: ${String(err)}`, 500);
      }
      for (const name of names) {
        const module = moduleIn(join(dir, name), 'index');
        if (!module) continue;
        const shown = shownPath(join(dir, name));
        if (!FOLDER.test(name)) {
          issues.push(`${shown}: the folder name is the experiment's id: lower-case letters, digits and '-', starting with a letter`);
          continue;
        }
        const programModule = moduleIn(join(dir, name), 'program');
        let experiment: Experiment;
        let program: unknown;
        try {
          experiment = ((await import(pathToFileURL(module).href)) as { default?: unknown }).default as Experiment;
          if (programModule) program = ((await import(pathToFileURL(programModule).href)) as { default?: unknown }).default;
        } catch (err) {
          issues.push(`${shown}: cannot be loaded: ${err instanceof Error ? err.message : String(err)}`);
          continue;
        }
        const programsDir = join(dir, name, 'programs');
        const problems = checkExperiment(experiment, name);
        if (!programModule) problems.push('it has no program module (program.ts: export default defineProgram(...))');
        else if (typeof program !== 'function') problems.push('its program module does not default-export a function');
        problems.push(...checkProgramFiles(experiment, programsDir));
        if (entries.has(name)) problems.push(`the id "${name}" is used twice`);
        if (problems.length > 0 || !programModule) {
          issues.push(...problems.map((p) => `${shown}: ${p}`));
          continue;
        }
        entries.set(name, { experiment, info: infoOf(experiment), runModule: runModuleOf(programModule), programsDir });
      }
    }
    if (issues.length > 0) throw new LabError('EXPERIMENT_INVALID', `experiments are not valid:\n${issues.join('\n')}`, 500);
    return new ExperimentCatalog(entries);
  }

  /** Every experiment, as `GET /api/experiments` serves it. */
  list(): ExperimentInfo[] {
    return [...this.entries.values()].map((e) => e.info);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** The experiment with this id; LabError EXPERIMENT_UNKNOWN (404) otherwise. */
  get(id: unknown): Experiment {
    return this.entry(id).experiment;
  }

  info(id: unknown): ExperimentInfo {
    return this.entry(id).info;
  }

  /** The JavaScript module a run's process imports to run this experiment: its program alone. */
  runModule(id: unknown): string {
    return this.entry(id).runModule;
  }

  /**
   * The full parameters of a run: `input` checked against the experiment's schema, with
   * defaults filled in. Text is read as a number or boolean where the schema asks for one.
   * Throws LabError EXPERIMENT_UNKNOWN (404) or PARAMS_INVALID (400, naming the parameter).
   */
  resolveParams(id: string, input: unknown): Params {
    return resolveWith(this.get(id), input);
  }

  /** The experiment's own program files in `lang`, with their sources; LANG_UNSUPPORTED when it has none. */
  async programFiles(id: string, lang: ProgramLang): Promise<{ lang: ProgramLang; files: { name: string; source: string }[] }> {
    const { programsDir } = this.entry(id);
    const chosen = this.resolvePrograms(id, lang, undefined);
    const names = this.info(id).programs.find((p) => p.lang === chosen.lang)?.files ?? [];
    const files = await Promise.all(names.map(async (name) => ({ name, source: await readFile(join(programsDir, name), 'utf8') })));
    return { lang: chosen.lang, files };
  }

  /** Where the experiment's program files are. */
  programsDir(id: unknown): string {
    return this.entry(id).programsDir;
  }

  /**
   * The language of a run (default: the experiment's first) and the sources given for it instead
   * of the experiment's own files. Throws LabError LANG_UNSUPPORTED or PROGRAM_UNKNOWN (400).
   */
  resolvePrograms(id: string, lang: unknown, programs: unknown): { lang: ProgramLang; programs: Record<string, string> } {
    const { info } = this.entry(id);
    const chosen = lang === undefined ? info.programs[0]! : info.programs.find((p) => p.lang === lang);
    if (!chosen) {
      const langs = info.programs.map((p) => p.lang).join(', ');
      throw new LabError('LANG_UNSUPPORTED', `The experiment "${id}" has no programs in ${String(lang)}; it has: ${langs}.`);
    }
    const given: Record<string, string> = {};
    if (programs !== undefined) {
      if (typeof programs !== 'object' || programs === null || Array.isArray(programs)) {
        throw new LabError('PROGRAM_UNKNOWN', 'programs must be an object of file name → source.');
      }
      for (const [file, source] of Object.entries(programs)) {
        if (!chosen.files.includes(file)) {
          const files = chosen.files.join(', ') || 'none';
          throw new LabError('PROGRAM_UNKNOWN', `The experiment "${id}" has no ${chosen.lang} program "${file}"; it has: ${files}.`);
        }
        if (typeof source !== 'string') throw new LabError('PROGRAM_UNKNOWN', `The source of "${file}" must be text.`);
        given[file] = source;
      }
    }
    return { lang: chosen.lang, programs: given };
  }

  /** A short human title for a run: the experiment's title and the parameters that differ from the defaults. */
  runTitle(id: string, params: Params): string {
    const { info } = this.entry(id);
    const changed = Object.entries(params)
      .filter(([name, value]) => info.defaults[name] !== value)
      .map(([name, value]) => {
        const text = String(value);
        return `${name}=${text.length > 24 ? `${text.slice(0, 23)}…` : text}`;
      });
    const title = changed.length > 0 ? `${info.title.en} (${changed.join(', ')})` : info.title.en;
    return title.length > 200 ? `${title.slice(0, 199)}…` : title;
  }

  /** Facts and marks of a trace, by its experiment; none for an unknown one. Never throws. */
  facts(trace: Trace): Facts {
    const entry = this.entries.get(trace.experiment);
    const source = entry?.experiment.facts;
    if (!source) return NO_FACTS;
    try {
      return source.compute(trace);
    } catch {
      return NO_FACTS;
    }
  }

  /** Each packet's comment in `lang` (by event `seq`): the lab's own, and the experiment's over them. Never throws. */
  packetComments(trace: Trace, lang: Lang): Map<number, string> {
    const comments = basePacketComments(trace, lang);
    const source = this.entries.get(trace.experiment)?.experiment.facts;
    try {
      for (const [seq, text] of source?.packetComments?.(trace, lang) ?? []) comments.set(seq, text);
    } catch {
      // The lab's own comments stand.
    }
    return comments;
  }

  /** The run in one line for the terminal, by its experiment; null when it has none. Never throws. */
  summary(trace: Trace): string | null {
    const source = this.entries.get(trace.experiment)?.experiment.facts;
    if (!source?.summary) return null;
    try {
      return source.summary(this.facts(trace));
    } catch {
      return null;
    }
  }

  private entry(id: unknown): Entry {
    const found = typeof id === 'string' ? this.entries.get(id) : undefined;
    if (!found) {
      const known = [...this.entries.keys()].join(', ');
      throw new LabError('EXPERIMENT_UNKNOWN', `No experiment "${String(id)}". Known: ${known}.`, 404);
    }
    return found;
  }
}

/** `<base>.js` next to compiled code, `<base>.ts` when running from the sources (tests). */
function moduleIn(folder: string, base: 'index' | 'program'): string | null {
  const exts = fileURLToPath(import.meta.url).endsWith('.ts') ? ['.ts', '.js', '.mjs'] : ['.js', '.mjs'];
  for (const ext of exts) {
    const path = join(folder, base + ext);
    if (existsSync(path)) return path;
  }
  return null;
}

/** A source module under server/ runs from its compiled twin under dist/server/. */
function runModuleOf(module: string): string {
  if (!module.endsWith('.ts')) return module;
  const rel = relative(join(projectRoot, 'server'), module);
  if (rel.startsWith('..')) return module;
  return join(projectRoot, 'dist', 'server', rel.slice(0, -3) + '.js');
}

function shownPath(path: string): string {
  const rel = relative(projectRoot, path);
  return rel.startsWith('..') ? path : rel.split(sep).join('/');
}

/** Each parameter's `default` (the schema is flat: one level of properties). */
function defaultsOf(schema: TObject): Params {
  const out: Params = {};
  for (const [name, prop] of Object.entries((schema.properties ?? {}) as Record<string, { default?: unknown }>)) {
    const value = prop.default;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[name] = value;
  }
  return out;
}

/** An experiment's texts with the notes the lab adds to any run (its own words win). */
function withLabNotes(texts: Experiment['texts']): Experiment['texts'] {
  const out = { ...texts };
  for (const lang of Object.keys(CAPTURE_NOTE_TEXTS) as (keyof typeof CAPTURE_NOTE_TEXTS)[]) {
    out[lang] = { ...texts[lang], notes: { ...CAPTURE_NOTE_TEXTS[lang], ...texts[lang].notes } };
  }
  return out;
}

function infoOf(e: Experiment): ExperimentInfo {
  const defaults = defaultsOf(e.params);
  return {
    id: e.id,
    title: { en: e.texts.en.title, 'zh-CN': e.texts['zh-CN'].title },
    description: { en: e.texts.en.description, 'zh-CN': e.texts['zh-CN'].description },
    params: e.params as unknown as ExperimentInfo['params'],
    defaults,
    presets: Object.entries(e.presets ?? {}).map(([id, params]) => ({ id, params: { ...params } })),
    texts: withLabNotes(e.texts),
    views: e.views,
    ...(e.appliesWhen ? { appliesWhen: e.appliesWhen } : {}),
    facts: [...(e.facts?.names ?? [])],
    marks: [...(e.facts?.marks ?? [])],
    timeLimitMs: e.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
    programs: programsOf(e),
  };
}

/** Its languages, the default first; an experiment that names none runs its own Node code. */
function programsOf(e: Experiment): ProgramFiles[] {
  const listed = Object.entries(e.programs ?? {}) as [ProgramLang, readonly string[]][];
  return listed.length > 0 ? listed.map(([lang, files]) => ({ lang, files: [...files] })) : [{ lang: 'node', files: [] }];
}

/** Program files it names that are not in its `programs/` folder, or not of their language. */
function checkProgramFiles(e: Experiment | undefined, programsDir: string): string[] {
  if (!e || typeof e !== 'object' || e.programs === undefined) return [];
  const problems: string[] = [];
  for (const [lang, files] of Object.entries(e.programs)) {
    if (lang !== 'python' && lang !== 'node') {
      problems.push(`programs: "${lang}" is not a language the lab runs (python, node)`);
      continue;
    }
    for (const file of files ?? []) {
      const runtime = RUNTIMES[lang];
      if (!runtime.extensions.some((ending) => file.endsWith(ending))) {
        problems.push(`programs: the ${lang} program "${file}" must end in ${runtime.extensions.join(', ')}`);
      }
      if (basename(file) !== file) problems.push(`programs: "${file}" must be a file name in programs/, not a path`);
      else if (!existsSync(join(programsDir, file))) problems.push(`programs: ${file} is not in ${shownPath(programsDir)}`);
    }
  }
  return problems;
}

/** What is wrong with a loaded experiment module, in words. */
function checkExperiment(e: Experiment | undefined, folder: string): string[] {
  if (!e || typeof e !== 'object') return ['its index module has no default export (export default defineExperiment({...}))'];
  const problems: string[] = [];
  if (e.id !== folder) problems.push(`its id "${String(e.id)}" differs from its folder's name`);
  const props = (e.params?.properties ?? {}) as Record<string, TSchema>;
  if ((e.params as unknown as Record<string, unknown>)?.additionalProperties !== false) {
    problems.push('its params schema must set additionalProperties: false');
  }
  for (const [name, prop] of Object.entries(props)) {
    if ((prop as Record<string, unknown>).default === undefined) problems.push(`parameter "${name}" has no default`);
  }
  for (const [id, params] of Object.entries(e.presets ?? {})) {
    try {
      resolveWith(e, params);
    } catch (err) {
      problems.push(`preset "${id}": ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  problems.push(...checkConditions(e, props));
  if (!Array.isArray(e.views) || e.views.length === 0) problems.push('it names no views');
  else e.views.forEach((v, i) => !Value.Check(ViewSpec, v) && problems.push(`view ${i + 1} is not a known view: ${JSON.stringify(v)}`));
  for (const lang of LANGS) {
    const text = e.texts?.[lang];
    if (!text) {
      problems.push(`it has no ${lang} texts`);
      continue;
    }
    if (!text.title || !text.description) problems.push(`${lang}: title and description are required`);
    for (const name of Object.keys(props)) {
      if (!text.params?.[name]?.label) problems.push(`${lang}: parameter "${name}" has no label`);
    }
    for (const id of Object.keys(e.presets ?? {})) {
      if (!text.presets?.[id]) problems.push(`${lang}: preset "${id}" has no label`);
    }
    // A word given in one language and not another would show raw on that language's page.
    for (const other of LANGS) {
      for (const word of Object.keys(e.texts?.[other]?.words ?? {})) {
        if (other !== lang && !Object.hasOwn(text.words ?? {}, word)) problems.push(`${lang}: the word "${word}" has no ${lang} text (${other} has one)`);
      }
    }
  }
  return problems;
}

/** `appliesWhen` conditions that name a parameter it does not have, or a value that parameter refuses. */
function checkConditions(e: Experiment, props: Record<string, TSchema>): string[] {
  const problems: string[] = [];
  for (const [name, condition] of Object.entries(e.appliesWhen ?? {})) {
    if (!props[name]) problems.push(`appliesWhen: "${name}" is not a parameter`);
    for (const [other, values] of Object.entries(condition)) {
      const schema = props[other];
      if (!schema || other === name) {
        problems.push(`appliesWhen.${name}: "${other}" is not another parameter`);
        continue;
      }
      for (const value of values) {
        if (!Value.Check(schema, value)) problems.push(`appliesWhen.${name}.${other}: ${JSON.stringify(value)} is not a value it takes`);
      }
    }
  }
  return problems;
}

/** What a parameter accepts, in words: `one of 4, 6`, `an integer from 0 to 2000`. */
function expectation(schema: TSchema): string {
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const range = (noun: string) => {
    const min = typeof s.minimum === 'number' ? s.minimum : undefined;
    const max = typeof s.maximum === 'number' ? s.maximum : undefined;
    if (min !== undefined && max !== undefined) return `${noun} from ${min} to ${max}`;
    if (min !== undefined) return `${noun} of at least ${min}`;
    if (max !== undefined) return `${noun} of at most ${max}`;
    return noun;
  };
  if (s.type === 'integer') return range('an integer');
  if (s.type === 'number') return range('a number');
  if (s.type === 'boolean') return 'true or false';
  if (s.type === 'string') {
    const max = typeof s.maxLength === 'number' ? s.maxLength : undefined;
    const min = typeof s.minLength === 'number' ? s.minLength : undefined;
    if (max !== undefined && min !== undefined) return `text of ${min} to ${max} characters`;
    if (max !== undefined) return `text of at most ${max} characters`;
    return 'text';
  }
  return 'a valid value';
}

/** Text from a command line (`--set pauseMs=500`) becomes the number or boolean the schema wants. */
function fromText(schema: TSchema, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const s = schema as Record<string, unknown>;
  const wantsNumber =
    s.type === 'integer' || s.type === 'number' || (Array.isArray(s.enum) && s.enum.every((v) => typeof v === 'number'));
  if (wantsNumber && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
  if (s.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}


function resolveWith(experiment: Experiment, input: unknown): Params {
  const schema = experiment.params;
  const raw: unknown = input ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new LabError('PARAMS_INVALID', 'Parameters must be an object of name → value.');
  }
  const properties = schema.properties as Record<string, TSchema>;
  const names = Object.keys(properties);
  const given: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    const propSchema = properties[name];
    if (!Object.hasOwn(properties, name) || !propSchema) {
      throw new LabError(
        'PARAMS_INVALID',
        `Unknown parameter "${name}" for ${experiment.id}. Known: ${names.join(', ')}.`,
      );
    }
    if (value === undefined) continue;
    given[name] = fromText(propSchema, value);
  }
  const params: Record<string, unknown> = { ...defaultsOf(schema), ...given };
  for (const name of names) {
    const propSchema = properties[name]!;
    const value = params[name];
    const ok =
      (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') &&
      Value.Check(propSchema, value);
    if (!ok) {
      throw new LabError(
        'PARAMS_INVALID',
        `Parameter "${name}" must be ${expectation(propSchema)}; got ${JSON.stringify(value) ?? 'nothing'}.`,
      );
    }
  }
  const problem = experiment.limits?.(params as Params);
  if (problem) throw new LabError('PARAMS_INVALID', problem.en, 400, problem);
  return params as Record<string, ParamValue>;
}
