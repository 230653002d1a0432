/**
 * The process a run happens in (see protocol.ts). Started by the runner, in a private network
 * namespace when capture allows, possibly ahead of its run (runner/spare.ts); it serves one run
 * and exits when the run is over.
 *
 * It also leaves, after stopping the run and its capture, when it is told to go: stdin closes
 * or stdout breaks (the parent is gone), or SIGTERM, SIGINT or SIGHUP arrives. A second such
 * signal ends it at once. Whatever way it exits, tcpdump goes with it (capture/tcpdump.ts).
 */
import { SNAPLEN, stopCaptures } from '../capture/tcpdump.js';
import { followRealtimeSteps, nowUs } from '../trace/clock.js';
import { runInThisProcess } from './child-runner.js';
import { EarlyCapture } from './early-capture.js';
import { LineReader, type ChildMessage, type ParentMessage } from './protocol.js';

/** Once told to go, how long the run's own cleanup may take before the capture is stopped regardless. */
const LEAVE_DEADLINE_MS = 2500;
/** Then how long tcpdump has to exit after SIGINT before SIGKILL. */
const CAPTURE_GRACE_MS = 500;

// stdout carries the protocol only.
console.log = console.info = console.debug = console.error;

// An experiment's forgotten promise that fails when its sockets are closed must not end the run early.
process.on('unhandledRejection', (reason) => {
  console.error('unhandled rejection in the run:', reason);
});

/** stdout is broken: nobody reads what the run reports any more. */
let stdoutBroken = false;

function send(message: ChildMessage): void {
  if (stdoutBroken) return;
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

const controller = new AbortController();
let started = false;
let leaving = false;

/** Stops the run (its cleanup stops the capture) and exits; bounded by LEAVE_DEADLINE_MS. */
function leave(): void {
  if (leaving) return;
  leaving = true;
  if (!started) process.exit(0);
  if (!controller.signal.aborted) controller.abort('abort');
  setTimeout(() => {
    void stopCaptures(CAPTURE_GRACE_MS).finally(() => process.exit(0));
  }, LEAVE_DEADLINE_MS);
}

/** Exits once everything written to stdout has gone (at once when stdout is broken). */
function exitAfterOutput(code: number): void {
  if (stdoutBroken) process.exit(code);
  process.stdout.write('', () => process.exit(code));
}

process.stdout.on('error', () => {
  stdoutBroken = true;
  leave();
});

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (leaving) process.exit(1);
    leave();
  });
}

send({ type: 'hello', pid: process.pid });

/** Started in its own network namespace (`--netns`): get `lo` and the capture ready while waiting. */
const early = process.argv.includes('--netns') ? EarlyCapture.begin(SNAPLEN) : undefined;

const reader = new LineReader((value) => {
  const message = value as ParentMessage;
  if (message.type === 'start' && !started && !leaving) {
    started = true;
    // A spare may have waited long: its events must stay on the packets' clock.
    followRealtimeSteps();
    send({ type: 'started', atUs: nowUs() });
    void runInThisProcess(message, controller.signal, send, early).then(
      (error) => {
        send(error ? { type: 'done', atUs: nowUs(), error } : { type: 'done', atUs: nowUs() });
        // stdout is a pipe, written asynchronously: leave once all of the run's events are out.
        exitAfterOutput(0);
      },
      (err: unknown) => {
        send({ type: 'done', atUs: nowUs(), error: { code: 'RUN_FAILED', message: String(err) } });
        process.exit(1);
      },
    );
  } else if (message.type === 'abort' && !controller.signal.aborted) {
    controller.abort(message.reason);
  }
});

process.stdin.setEncoding('utf8');
process.stdin.on('data', (text: string) => reader.push(text));
// The parent is gone or done with the run: stop it, still reporting as long as stdout works.
process.stdin.on('end', leave);
