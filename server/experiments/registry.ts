/**
 * The experiments the lab can run, and their parameters: listing (with JSON schemas and
 * defaults, for the API and the page) and checking what a caller asked for.
 */
import type { TObject, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { LabError } from '../errors.js';
import { handshake } from './handshake/index.js';
import type { Experiment, Localized, ParamValue, Params } from '../lab/experiment.js';

const EXPERIMENTS: readonly Experiment[] = [handshake];

export interface ExperimentInfo {
  id: string;
  title: Localized;
  description: Localized;
  /** JSON schema of the parameters (an object; each property has a default and its limits). */
  params: TObject;
  defaults: Params;
  /** Longest a run of it may take, in milliseconds. */
  timeLimitMs: number;
}

/** Applies when an experiment does not set its own limit. */
export const DEFAULT_TIME_LIMIT_MS = 10_000;

export function listExperiments(): ExperimentInfo[] {
  return EXPERIMENTS.map((e) => ({
    id: e.id,
    title: e.title,
    description: e.description,
    params: e.params,
    defaults: defaultsOf(e),
    timeLimitMs: e.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
  }));
}

/** The experiment with this id; LabError EXPERIMENT_UNKNOWN (404) otherwise. */
export function getExperiment(id: unknown): Experiment {
  const found = typeof id === 'string' ? EXPERIMENTS.find((e) => e.id === id) : undefined;
  if (!found) {
    const known = EXPERIMENTS.map((e) => e.id).join(', ');
    throw new LabError('EXPERIMENT_UNKNOWN', `No experiment "${String(id)}". Known: ${known}.`, 404);
  }
  return found;
}

function defaultsOf(experiment: Experiment): Params {
  return Value.Default(experiment.params, {}) as Params;
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

/**
 * The full parameters of a run: `input` checked against the experiment's schema, with
 * defaults filled in. Text is read as a number or boolean where the schema asks for one.
 * Throws LabError EXPERIMENT_UNKNOWN (404) or PARAMS_INVALID (400, naming the parameter).
 */
export function resolveParams(id: string, input: unknown): Params {
  const experiment = getExperiment(id);
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
  const params = Value.Default(schema, given) as Record<string, unknown>;
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
  return params as Record<string, ParamValue>;
}

/** A short human title for a run: the experiment's title and the parameters that differ from the defaults. */
export function runTitle(id: string, params: Params): string {
  const experiment = getExperiment(id);
  const defaults = defaultsOf(experiment);
  const changed = Object.entries(params)
    .filter(([name, value]) => defaults[name] !== value)
    .map(([name, value]) => {
      const text = String(value);
      return `${name}=${text.length > 24 ? `${text.slice(0, 23)}…` : text}`;
    });
  const title = changed.length > 0 ? `${experiment.title.en} (${changed.join(', ')})` : experiment.title.en;
  return title.length > 200 ? `${title.slice(0, 199)}…` : title;
}
