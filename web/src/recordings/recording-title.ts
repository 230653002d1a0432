/**
 * How a recording is named in a list: a run of a known experiment by the experiment's title in
 * the page's language plus the parameters that differ from its defaults; an import by its own
 * title. DOM-free.
 */
import type { ExperimentInfo } from '../lib/api-types.ts';
import type { Lang } from '../i18n/translate.ts';
import { paramLabel, valueLabel } from '../lessons/param-fields.ts';

interface Named {
  id: string;
  title: string;
  experiment: string;
  params: Record<string, unknown>;
}

/** One parameter as words: the value's own words when it has them, else `label: value`. */
function paramText(experiment: ExperimentInfo, lang: Lang, name: string, value: unknown): string {
  const texts = experiment.texts[lang];
  const shown = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : String(value);
  const words = valueLabel(name, shown, texts);
  return words !== String(value) ? words : `${paramLabel(name, texts)}: ${String(value)}`;
}

export function recordingTitle(meta: Named, experiment: ExperimentInfo | undefined, lang: Lang): string {
  const own = meta.title || meta.id;
  // A run's own title starts with its experiment's English title (imports are named by their file).
  if (!experiment || experiment.id !== meta.experiment || !meta.title.startsWith(experiment.title.en)) return own;
  const changed = Object.entries(meta.params)
    .filter(([name, value]) => name in experiment.defaults && experiment.defaults[name] !== value)
    .map(([name, value]) => paramText(experiment, lang, name, value));
  const title = experiment.title[lang] || own;
  return changed.length > 0 ? `${title} · ${changed.join(' · ')}` : title;
}
