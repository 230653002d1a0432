/**
 * The learner's choice of language for each experiment's programs, and their edits, kept in
 * the browser (localStorage) per lesson until reset. What a run request adds for them.
 */
import type { ExperimentInfo, ProgramLang } from '../../../server/contract/experiment.ts';

const LANG_KEY = 'socket-lab.programs.lang';
const EDITS_KEY = 'socket-lab.programs.edits';

function readJson<T>(key: string, fallback: T): T {
  try {
    const text = localStorage.getItem(key);
    const value: unknown = text ? JSON.parse(text) : null;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as T) : fallback;
  } catch {
    return fallback;
  }
}

function writeJson(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage unavailable or full: the edit lasts for this page only
  }
}

/** Where an edit belongs: a lesson (or an experiment), a language, a file. */
function editKey(scope: string, lang: ProgramLang, file: string): string {
  return `${scope}|${lang}|${file}`;
}

class ProgramChoices {
  /** Language per experiment id, when the learner picked one. */
  langs = $state<Record<string, ProgramLang>>(readJson(LANG_KEY, {}));
  /** A line a lesson pointed at (`#line:` links): the program file and the code on it. */
  shownLine = $state<{ file: string; code: string; at: number } | null>(null);

  /** Lights the line of `file` that holds `code`, and brings it into view. */
  showLine(file: string, code: string): void {
    this.shownLine = { file, code, at: Date.now() };
  }

  /** Edited sources by `scope|lang|file`. */
  edits = $state<Record<string, string>>(readJson(EDITS_KEY, {}));

  /** The language for an experiment: the learner's pick when it has it, else its default (the first). */
  langOf(experiment: ExperimentInfo): ProgramLang {
    const picked = this.langs[experiment.id];
    return experiment.programs.some((p) => p.lang === picked) ? picked! : (experiment.programs[0]?.lang ?? 'node');
  }

  setLang(experimentId: string, lang: ProgramLang): void {
    this.langs = { ...this.langs, [experimentId]: lang };
    writeJson(LANG_KEY, this.langs);
  }

  edited(scope: string, lang: ProgramLang, file: string): string | undefined {
    return this.edits[editKey(scope, lang, file)];
  }

  edit(scope: string, lang: ProgramLang, file: string, source: string): void {
    this.edits = { ...this.edits, [editKey(scope, lang, file)]: source };
    writeJson(EDITS_KEY, this.edits);
  }

  /** Back to the lesson's version. */
  reset(scope: string, lang: ProgramLang, file: string): void {
    const next = { ...this.edits };
    delete next[editKey(scope, lang, file)];
    this.edits = next;
    writeJson(EDITS_KEY, this.edits);
  }

  /** What a run request carries: the language, and the edited files of this scope in it. */
  request(scope: string, experiment: ExperimentInfo): { lang: ProgramLang; programs?: Record<string, string> } {
    const lang = this.langOf(experiment);
    const files = experiment.programs.find((p) => p.lang === lang)?.files ?? [];
    const programs: Record<string, string> = {};
    for (const file of files) {
      const source = this.edited(scope, lang, file);
      if (source !== undefined) programs[file] = source;
    }
    return Object.keys(programs).length > 0 ? { lang, programs } : { lang };
  }
}

export const programChoices = new ProgramChoices();
