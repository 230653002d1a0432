/**
 * How a recording is named in a list: a run of a known experiment by the experiment's title in
 * the page's language plus the parameters that differ from its defaults; an import by its own
 * title. DOM-free.
 */
import type { ExperimentInfo } from '../lib/api-types.ts';
import { hasMessage, translate, type Lang } from '../i18n/translate.ts';

interface Named {
  id: string;
  title: string;
  experiment: string;
  params: Record<string, unknown>;
}

/** One parameter as words: the translated value when there is one, else `name: value`. */
function paramText(lang: Lang, name: string, value: unknown): string {
  const valueKey = `paramValue.${name}.${String(value)}`;
  if (hasMessage(valueKey)) return translate(lang, valueKey);
  const nameKey = `param.${name}`;
  return `${hasMessage(nameKey) ? translate(lang, nameKey) : name}: ${String(value)}`;
}

export function recordingTitle(meta: Named, experiment: ExperimentInfo | undefined, lang: Lang): string {
  const own = meta.title || meta.id;
  if (!experiment || experiment.id !== meta.experiment || meta.title !== experiment.title.en) return own;
  const changed = Object.entries(meta.params)
    .filter(([name, value]) => name in experiment.defaults && experiment.defaults[name] !== value)
    .map(([name, value]) => paramText(lang, name, value));
  const title = experiment.title[lang] || own;
  return changed.length > 0 ? `${title} · ${changed.join(' · ')}` : title;
}
