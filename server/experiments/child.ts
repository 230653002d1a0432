/**
 * The process a run happens in (see protocol.ts). Started by the runner, in a private network
 * namespace when capture allows; it exits when the run is over or when its stdin closes.
 */
import { nowUs } from '../trace/clock.js';
import { runInThisProcess } from './child-runner.js';
import { LineReader, type ChildMessage, type ParentMessage } from './protocol.js';

// stdout carries the protocol only.
console.log = console.info = console.debug = console.error;

process.stdout.on('error', () => process.exit(0));
// An experiment's forgotten promise that fails when its sockets are closed must not end the run early.
process.on('unhandledRejection', (reason) => {
  console.error('unhandled rejection in the run:', reason);
});

function send(message: ChildMessage): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

send({ type: 'hello', pid: process.pid, startedAtUs: nowUs() });

const controller = new AbortController();
let started = false;

const reader = new LineReader((value) => {
  const message = value as ParentMessage;
  if (message.type === 'start' && !started) {
    started = true;
    void runInThisProcess(message, controller.signal, send).then(
      (error) => {
        send(error ? { type: 'done', atUs: nowUs(), error } : { type: 'done', atUs: nowUs() });
        process.exit(0);
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
process.stdin.on('end', () => {
  // The parent is gone: stop the run (its cleanup still happens), or leave at once if none.
  if (!started) process.exit(0);
  if (!controller.signal.aborted) controller.abort('abort');
});
