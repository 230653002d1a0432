import { LabError } from '../errors.js';

export interface RunArgs {
  command: 'run';
  experiment: string;
  set: Record<string, string>;
  json: boolean;
  pcapng?: string;
}
export type CliArgs = RunArgs | { command: 'list' } | { command: 'help' };

export const USAGE = `Usage:
  npm run lab -- run <experiment> [--set key=value ...] [--json] [--pcapng FILE]
  npm run lab -- list            list experiments and their parameters
Settings: --data DIR or SOCKET_LAB_DATA (where recordings are saved, default data/).`;

/** Parses the words after `npm run lab --`. */
export function parseCliArgs(argv: string[]): CliArgs {
  const words = argv.filter((w, i) => !(w === '--data' || argv[i - 1] === '--data' || w.startsWith('--data=')));
  const [command, ...rest] = words;
  if (!command || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === 'list') return { command: 'list' };
  if (command !== 'run') throw new LabError('CLI_USAGE', `Unknown command "${command}".\n${USAGE}`);
  const args: RunArgs = { command: 'run', experiment: '', set: {}, json: false };
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (word === '--json') args.json = true;
    else if (word === '--set' || word === '--pcapng') {
      const value = rest[++i];
      if (value === undefined) throw new LabError('CLI_USAGE', `${word} needs a value.\n${USAGE}`);
      if (word === '--pcapng') args.pcapng = value;
      else {
        const eq = value.indexOf('=');
        if (eq <= 0) throw new LabError('CLI_USAGE', `--set wants key=value, got "${value}".`);
        args.set[value.slice(0, eq)] = value.slice(eq + 1);
      }
    } else if (word.startsWith('--')) throw new LabError('CLI_USAGE', `Unknown option ${word}.\n${USAGE}`);
    else if (!args.experiment) args.experiment = word;
    else throw new LabError('CLI_USAGE', `Unexpected "${word}".\n${USAGE}`);
  }
  if (!args.experiment) throw new LabError('CLI_USAGE', `Which experiment?\n${USAGE}`);
  return args;
}

/** Turns `--set` strings into the types the experiment's parameter schema asks for. */
export function coerceParams(
  set: Record<string, string>,
  schema: { properties?: Record<string, { type?: string | string[]; anyOf?: { type?: string; const?: unknown }[] }> },
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, text] of Object.entries(set)) {
    const prop = schema.properties?.[key];
    const types = new Set<string>([prop?.type ?? []].flat());
    for (const alt of prop?.anyOf ?? []) {
      if (alt.type) types.add(alt.type);
      if (alt.const !== undefined) types.add(typeof alt.const);
    }
    if ((types.has('number') || types.has('integer')) && text.trim() !== '' && !Number.isNaN(Number(text))) out[key] = Number(text);
    else if (types.has('boolean') && (text === 'true' || text === 'false')) out[key] = text === 'true';
    else out[key] = text;
  }
  return out;
}
