/**
 * The runner's protocol with its child process, one JSON object per line.
 *
 * Parent → child (stdin): first `start`, later possibly `abort`. When stdin closes, the child
 * stops the run and exits (the parent is gone).
 * Child → parent (stdout): `hello` once loaded (it may then wait, a spare, until its run),
 * `started` when the run starts (the trace's time zero), then `lane`, `event`, `capture`,
 * `packet` as they happen, `stats` when tcpdump has stopped, and finally `done`. Times are on the run's clock:
 * `atUs` in microseconds since the epoch, packets' `tsNs` in nanoseconds since the epoch.
 */
import type { AppEvent, CaptureMethod, ErrorInfo, Lane, NoteEvent, ProgramEvent, ProgramSource, ProgramLang, SocketEvent } from '../contract/trace.js';
import type { Params } from '../contract/experiment.js';

type WithoutPosition<T> = T extends unknown ? Omit<T, 'seq' | 't'> & { atUs: number } : never;

/** An app, socket or note event as the child records it: absolute time instead of a position. */
export type ChildEvent = WithoutPosition<AppEvent | SocketEvent | NoteEvent | ProgramEvent>;

export type ParentMessage =
  | {
      type: 'start';
      experiment: string;
      /** The experiment's compiled program module (its default export is the program). */
      module: string;
      params: Params;
      /** The language of the programs to run. */
      lang: ProgramLang;
      /** Sources given for this run instead of the experiment's own, by file name (`client.py`). */
      programs: Record<string, string>;
      /** Where the experiment's own program files are. */
      programsDir: string;
      method: CaptureMethod;
      snaplen: number;
    }
  | { type: 'abort'; reason: 'timeout' | 'abort' };

export type ChildMessage =
  | { type: 'hello'; pid: number }
  | { type: 'started'; atUs: number }
  | { type: 'lane'; lane: Lane }
  /** A program about to run as its own process, with its source. */
  | { type: 'program'; program: ProgramSource }
  | { type: 'event'; event: ChildEvent }
  /** tcpdump is listening. */
  | { type: 'capture'; atUs: number; filter: string | null }
  | { type: 'packet'; tsNs: string; caplen: number; len: number; linktype: number; data: string }
  | {
      type: 'stats';
      captured?: number;
      received?: number;
      droppedByKernel?: number;
      droppedByInterface?: number;
    }
  | { type: 'done'; atUs: number; error?: ErrorInfo };

/** Splits a stream of text into lines and hands each parsed JSON object on. */
export class LineReader {
  private rest = '';
  constructor(private readonly onLine: (value: unknown) => void, private readonly onBadLine?: (line: string) => void) {}

  push(text: string): void {
    const buffer = this.rest + text;
    let start = 0;
    let nl: number;
    while ((nl = buffer.indexOf('\n', start)) >= 0) {
      const line = buffer.slice(start, nl).trim();
      start = nl + 1;
      if (!line) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        this.onBadLine?.(line);
        continue;
      }
      this.onLine(value);
    }
    this.rest = buffer.slice(start);
  }
}
