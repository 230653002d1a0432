/**
 * Which views the run area shows: the ones the experiment names, in its order, or for a run of
 * an experiment the page does not know (an imported capture) the ladder and the timeline by
 * connection. The choice is remembered per experiment. Also the words of a step note, from the
 * experiment's texts. DOM-free except for the storage helpers, which tolerate its absence.
 */
import { fillTemplate, type ExperimentInfo, type ExperimentText, type ViewSpec } from '../../../server/contract/experiment.ts';
import type { NoteEvent } from '../lib/trace-types.ts';

export type { ViewSpec };

/** For a run whose experiment is not known here. */
export const FALLBACK_VIEWS: readonly ViewSpec[] = [{ kind: 'ladder' }, { kind: 'timeline', lanes: 'connections' }];

/** A view's id: `ladder`, `timeline-programs`, `notes`... */
export function viewId(view: ViewSpec): string {
  return view.kind === 'timeline' ? `timeline-${view.lanes}` : view.kind;
}

function isKnownView(value: unknown): value is ViewSpec {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { kind?: unknown; lanes?: unknown };
  if (v.kind === 'ladder' || v.kind === 'notes' || v.kind === 'stream') return true;
  return v.kind === 'timeline' && (v.lanes === 'programs' || v.lanes === 'connections' || v.lanes === 'stages');
}

/** The views to show for an experiment (`null`: not known), each once, in the experiment's order. */
export function viewsFor(info: Pick<ExperimentInfo, 'views'> | null | undefined): ViewSpec[] {
  const named = Array.isArray(info?.views) ? info.views.filter(isKnownView) : [];
  const seen = new Set<string>();
  const views = named.filter((v) => {
    const id = viewId(v);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return views.length > 0 ? views : [...FALLBACK_VIEWS];
}

/** The view to show: the remembered one when the experiment still names it, else its first. */
export function chooseView(views: readonly ViewSpec[], remembered: string | null): ViewSpec {
  return views.find((v) => viewId(v) === remembered) ?? views[0] ?? FALLBACK_VIEWS[0]!;
}

const VIEW_KEY = 'socket-lab.view.';

export function rememberedView(experiment: string): string | null {
  try {
    return localStorage.getItem(VIEW_KEY + experiment);
  } catch {
    return null;
  }
}

export function rememberView(experiment: string, id: string): void {
  try {
    localStorage.setItem(VIEW_KEY + experiment, id);
  } catch {
    // Storage unavailable: the choice lasts while the page is open.
  }
}

/**
 * A step note in words: the experiment's template for its key with `{name}`s filled from its
 * values (word values in the experiment's words); the key itself when the experiment has no
 * words for it.
 */
export function noteText(note: Pick<NoteEvent, 'key' | 'values'>, texts: Pick<ExperimentText, 'notes' | 'words'> | null | undefined): string {
  const notes = texts?.notes;
  const template = notes && Object.hasOwn(notes, note.key) ? notes[note.key] : undefined;
  return template === undefined ? note.key : fillTemplate(template, note.values ?? {}, texts?.words);
}
