/**
 * A spare run process in its own network namespace gets ready before its run: `lo` up and
 * tcpdump listening there. Nothing but the run ever uses that namespace, so what this capture
 * sees is the run's own traffic, exactly as a capture started when the program asks for it
 * would. The run takes it (`take`) when its program calls `startCapture`; what tcpdump wrote
 * until then (the pcap header) is handed over first.
 */
import { bringUpLoopback } from '../capture/netns.js';
import { findTcpdump, TcpdumpCapture } from '../capture/tcpdump.js';

export class EarlyCapture {
  /** Resolves true once `lo` is up. */
  readonly loopbackUp: Promise<boolean>;
  readonly #capture: Promise<TcpdumpCapture | null>;
  #early: Buffer[] = [];
  #sink: ((chunk: Buffer) => void) | null = null;
  #onEnded: ((cause: string) => void) | null = null;
  #endedEarly: string | null = null;
  #taken = false;

  private constructor(readonly snaplen: number) {
    this.loopbackUp = bringUpLoopback().then(
      () => true,
      () => false,
    );
    this.#capture = this.loopbackUp.then(async (up) => {
      const tcpdump = findTcpdump();
      if (!up || !tcpdump) return null;
      return TcpdumpCapture.start({
        tcpdump,
        snaplen,
        onData: (chunk) => (this.#sink ? this.#sink(chunk) : this.#early.push(chunk)),
        onEnded: (cause) => (this.#onEnded ? this.#onEnded(cause) : (this.#endedEarly ??= cause)),
      }).catch(() => null);
    });
  }

  /** Brings `lo` up and starts tcpdump in this process's (new) namespace. */
  static begin(snaplen: number): EarlyCapture {
    return new EarlyCapture(snaplen);
  }

  /**
   * The listening capture, its output from now on going to `onData` (what it wrote before
   * first); null when it could not start (the run then starts its own, and reports why not).
   */
  async take(onData: (chunk: Buffer) => void, onEnded: (cause: string) => void): Promise<TcpdumpCapture | null> {
    if (this.#taken) return null;
    this.#taken = true;
    const capture = await this.#capture;
    // Ended while waiting: the run starts a capture of its own.
    if (!capture || this.#endedEarly !== null) return null;
    for (const chunk of this.#early.splice(0)) onData(chunk);
    this.#sink = onData;
    this.#onEnded = onEnded;
    return capture;
  }

  /** Stops the capture when no run took it. */
  async discard(): Promise<void> {
    if (this.#taken) return;
    this.#taken = true;
    const capture = await this.#capture;
    await capture?.stop();
  }
}
