/**
 * `npm start`: serve the built page and the API, print the URL to open and the control token.
 * SIGINT or SIGTERM stops it within seconds, after saving runs in progress; a second one stops
 * it at once.
 */
import { buildApp } from './app.js';
import { lanAddresses, publicUrl, readSettings } from './config.js';
import { isLabError } from './errors.js';
import { experimentsDir } from './experiments/registry.js';

/**
 * The longest a stop may take: runs in progress are cancelled (their processes get
 * ABORT_GRACE_MS, then are killed) and saved, WebSocket clients get WS_CLOSE_GRACE_MS.
 */
const STOP_DEADLINE_MS = 10_000;

/** Said loudly: the lab can be reached from the classroom's network, and at which addresses. */
function classroomNotice(addresses: readonly string[], port: number): string {
  const bar = '='.repeat(68);
  const urls = addresses.length
    ? addresses.map((a) => `    ${publicUrl(a, port)}`).join('\n')
    : '    (no network address found: is this machine on the classroom network?)';
  return [
    '',
    bar,
    '  ON THE CLASSROOM NETWORK: anyone who can reach this machine can open the lab.',
    '  Students are read-only (only a browser on this machine gets the control token).',
    '  Students open (or start a room on the page: it shows a code and a QR code):',
    urls,
    bar,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const settings = readSettings();
  const lan = settings.lan ? lanAddresses(undefined, settings.host) : [];
  const app = await buildApp({
    lanAddresses: lan,
    token: settings.token,
    host: settings.host,
    port: settings.port,
    dataDir: settings.dataDir,
    extraHosts: settings.extraHosts,
    extraOrigins: settings.extraOrigins,
    lessonsDir: settings.lessonsDir,
    trustLocal: settings.trustLocal,
    experimentsDirs: [experimentsDir, ...settings.extraExperimentDirs],
    logger: { level: process.env.LOG_LEVEL ?? 'warn' },
  });
  await app.listen({ host: settings.host, port: settings.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const url = publicUrl(settings.host, port);
  const capture = app.capture.available
    ? `capture: on (${app.capture.method})`
    : `capture: OFF — ${app.capture.reason ?? ''}${app.capture.fix ? `\n  to enable it: ${app.capture.fix}` : ''}`;
  process.stdout.write(
    `Socket Lab is running.\n  open:  ${url}\n  token: ${settings.token}\n  data:  ${settings.dataDir}\n  ${capture}\n`,
  );
  if (settings.lan) process.stdout.write(classroomNotice(lan, port));
  if (app.recordings.unwritable) process.stdout.write(`  WARNING: ${app.recordings.unwritable.message} Runs are kept in memory until it can.\n`);
  for (const { id, path, reason } of app.recordings.setAside) {
    process.stdout.write(`  set aside: recording ${id} could not be read (${reason}); it was moved to ${path}\n`);
  }
  let closing = false;
  const stop = (signal: string) => {
    // A second Ctrl-C means: now.
    if (closing) {
      process.stdout.write(`${signal}: stopped at once.\n`);
      process.exit(130);
    }
    closing = true;
    process.stdout.write(`\n${signal}: saving runs in progress and stopping… (again to stop at once)\n`);
    setTimeout(() => {
      process.stderr.write(`Socket Lab did not stop within ${STOP_DEADLINE_MS / 1000} s; stopping now.\n`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Socket Lab could not start: ${isLabError(err) ? `${err.code}: ${err.message}` : String(err)}\n`);
  process.exit(1);
});
