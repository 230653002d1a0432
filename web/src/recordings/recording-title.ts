/**
 * How a recording is named in a list: a run of a known experiment by the experiment's title in
 * the page's language plus its preset's name, or else the parameters that differ from its
 * defaults; an import by its own title. DOM-free.
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

/** The experiment's preset this run's parameters are exactly (over the defaults), if any. */
function presetOf(meta: Named, experiment: ExperimentInfo): string | null {
  const same = (a: Record<string, unknown>, b: Record<string, unknown>): boolean =>
    Object.keys(experiment.defaults).every((name) => a[name] === b[name]);
  const run = { ...experiment.defaults, ...meta.params };
  if (same(run, experiment.defaults)) return null;
  return experiment.presets.find((p) => same(run, { ...experiment.defaults, ...p.params }))?.id ?? null;
}

export function recordingTitle(meta: Named, experiment: ExperimentInfo | undefined, lang: Lang): string {
  const own = meta.title || meta.id;
  // A run's own title starts with its experiment's English title (imports are named by their file).
  if (!experiment || experiment.id !== meta.experiment || !meta.title.startsWith(experiment.title.en)) return own;
  // A preset's run is named by the preset, in the page's language.
  const preset = presetOf(meta, experiment);
  const presetLabel = preset === null ? undefined : experiment.texts[lang].presets[preset];
  if (presetLabel) return `${experiment.title[lang] || own} · ${presetLabel}`;
  const changed = Object.entries(meta.params)
    .filter(([name, value]) => name in experiment.defaults && experiment.defaults[name] !== value)
    .map(([name, value]) => paramText(experiment, lang, name, value));
  const title = experiment.title[lang] || own;
  return changed.length > 0 ? `${title} · ${changed.join(' · ')}` : title;
}
