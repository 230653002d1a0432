/**
 * `npm run lab -- run <experiment> [--set key=value ...] [--lang L] [--program NAME=FILE]`: runs an
 * experiment for real from the terminal, saves it as a recording, and prints what happened.
 *
 * SIGINT or SIGTERM during a run stops it: the run cleans up, what happened so far is saved and
 * printed, and the exit code is 128 + the signal's number. A second signal leaves at once (the
 * run's process still stops itself and its capture when it sees this one gone).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { readSettings } from '../config.js';
import { isLabError, LabError } from '../errors.js';
import type { ProgramLang } from '../contract/experiment.js';
import { probeCapture } from '../capture/probe.js';
import { ExperimentCatalog, experimentsDir } from '../experiments/registry.js';
import { runExperiment } from '../runner/run.js';
import { RecordingStore } from '../recordings/store.js';
import { newRecordingId } from '../recordings/ids.js';
import { traceToPcapng } from '../recordings/pcapng.js';
import { parseCliArgs, USAGE, type RunArgs } from './args.js';
import { formatTrace } from './format.js';

async function main(argv: string[]): Promise<number> {
  const args = parseCliArgs(argv);
  if (args.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const settings = readSettings(argv, process.env);
  const catalog = await ExperimentCatalog.load([experimentsDir, ...settings.extraExperimentDirs]);
  const experiments = catalog.list();
  if (args.command === 'list') {
    for (const e of experiments) {
      process.stdout.write(`${e.id} — ${e.title.en}\n  defaults: ${JSON.stringify(e.defaults)}\n`);
      for (const p of e.programs) process.stdout.write(`  ${p.lang}: ${p.files.join(', ') || '(the lab\'s own program)'}\n`);
    }
    return 0;
  }
  // `--set` values are text; the catalogue reads them as the numbers or booleans the schema wants.
  const params = args.set;
  const store = new RecordingStore(settings.dataDir);
  await store.init();
  const capture = await probeCapture();
  const controller = new AbortController();
  let stoppedBy: NodeJS.Signals | null = null;
  const exitCodeOf = (signal: NodeJS.Signals) => 128 + constants.signals[signal];
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppedBy) process.exit(exitCodeOf(stoppedBy));
    stoppedBy = signal;
    process.stderr.write(`${signal}: stopping the run...\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const programs = await readPrograms(catalog, args);
  const trace = await runExperiment({
    experiments: catalog,
    experiment: args.experiment,
    params,
    capture,
    id: newRecordingId(),
    signal: controller.signal,
    ...(args.lang !== undefined ? { lang: args.lang as ProgramLang } : {}),
    programs,
  });
  await store.save(trace);
  if (args.pcapng) await writeFile(args.pcapng, traceToPcapng(trace));
  if (args.json) process.stdout.write(`${JSON.stringify(trace)}\n`);
  else {
    process.stdout.write(`${formatTrace(trace)}\n`);
    const summary = catalog.summary(trace);
    if (summary) process.stdout.write(`\n${summary}\n`);
    process.stdout.write(`recording: ${trace.id} (saved in ${store.dir})\n`);
    if (args.pcapng) process.stdout.write(`pcapng: ${args.pcapng}\n`);
    if (!capture.available) process.stdout.write(`capture is off: ${capture.reason ?? ''}${capture.fix ? `\nto enable it: ${capture.fix}` : ''}\n`);
  }
  if (stoppedBy) return exitCodeOf(stoppedBy);
  return trace.outcome.ok ? 0 : 2;
}

/**
 * The files given with `--program NAME=FILE`, by the experiment's file names: `client` and
 * `client.py` both name `client.py`. LabError PROGRAM_UNKNOWN when it has no such program.
 */
async function readPrograms(catalog: ExperimentCatalog, args: RunArgs): Promise<Record<string, string>> {
  const info = catalog.info(args.experiment);
  const lang = args.lang ?? info.programs[0]!.lang;
  const files = info.programs.find((p) => p.lang === lang)?.files ?? [];
  const out: Record<string, string> = {};
  for (const [name, path] of Object.entries(args.programs)) {
    const file = files.find((f) => f === name || f.replace(/\.[^.]+$/, '') === name);
    if (!file) throw new LabError('PROGRAM_UNKNOWN', `${args.experiment} has no ${lang} program "${name}"; it has: ${files.join(', ') || 'none'}.`);
    out[file] = await readFile(path, 'utf8').catch((err: unknown) => {
      throw new LabError('CLI_USAGE', `--program ${name}: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
    });
  }
  return out;
}

/** Exits once everything written to stdout has gone out (a pipe is written asynchronously). */
function exitAfterOutput(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

main(process.argv.slice(2)).then(
  (code) => exitAfterOutput(code),
  (err: unknown) => {
    process.stderr.write(`${isLabError(err) ? `${err.code}: ${err.message}` : String(err)}\n`);
    process.exit(1);
  },
);
