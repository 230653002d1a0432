import { LabError } from '../errors.js';

export interface RunArgs {
  command: 'run';
  experiment: string;
  set: Record<string, string>;
  json: boolean;
  pcapng?: string;
  /** `--lang python|node`. */
  lang?: string;
  /** `--program client=./my_client.py`: a program (by name, with or without extension) → its file. */
  programs: Record<string, string>;
}
export type CliArgs = RunArgs | { command: 'list' } | { command: 'help' };

export const USAGE = `Usage:
  npm run lab -- run <experiment> [--set key=value ...] [--lang python|node]
                 [--program NAME=FILE ...] [--json] [--pcapng FILE]
  npm run lab -- list            list experiments, their parameters and programs
--program client=./my_client.py runs your file as the experiment's client.py.
Settings: --data DIR or SOCKET_LAB_DATA (where recordings are saved, default data/).`;

/** Parses the words after `npm run lab --`. */
export function parseCliArgs(argv: string[]): CliArgs {
  const words = argv.filter((w, i) => !(w === '--data' || argv[i - 1] === '--data' || w.startsWith('--data=')));
  const [command, ...rest] = words;
  if (!command || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === 'list') return { command: 'list' };
  if (command !== 'run') throw new LabError('CLI_USAGE', `Unknown command "${command}".\n${USAGE}`);
  const args: RunArgs = { command: 'run', experiment: '', set: {}, json: false, programs: {} };
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (word === '--json') args.json = true;
    else if (word === '--set' || word === '--pcapng' || word === '--lang' || word === '--program') {
      const value = rest[++i];
      if (value === undefined) throw new LabError('CLI_USAGE', `${word} needs a value.\n${USAGE}`);
      if (word === '--pcapng') args.pcapng = value;
      else if (word === '--lang') args.lang = value;
      else {
        const eq = value.indexOf('=');
        if (eq <= 0) throw new LabError('CLI_USAGE', `${word} wants ${word === '--set' ? 'key=value' : 'name=file'}, got "${value}".`);
        (word === '--set' ? args.set : args.programs)[value.slice(0, eq)] = value.slice(eq + 1);
      }
    } else if (word.startsWith('--')) throw new LabError('CLI_USAGE', `Unknown option ${word}.\n${USAGE}`);
    else if (!args.experiment) args.experiment = word;
    else throw new LabError('CLI_USAGE', `Unexpected "${word}".\n${USAGE}`);
  }
  if (!args.experiment) throw new LabError('CLI_USAGE', `Which experiment?\n${USAGE}`);
  return args;
}
