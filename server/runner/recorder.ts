/**
 * Records what an experiment's sockets do, on the run's clock: events, lanes (one per TCP
 * connection or UDP flow), and the kernel's TCP state for each of the run's sockets.
 */
import type { Lane, ProgramSource } from '../contract/trace.js';
import { nowUs } from '../trace/clock.js';
import { LaneIndex } from '../contract/lanes.js';
import type { ChildEvent, ChildMessage } from './protocol.js';
import { readKernelTcpSockets, type KernelTcpSocket } from './tcp-states.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type NewEvent = DistributiveOmit<ChildEvent, 'atUs'>;

/** A TCP socket of the run whose kernel state is followed. */
export interface TrackedTcp {
  actor: string;
  lane?: string;
  family: 4 | 6;
  local: string;
  remote?: string;
  localPort: number;
  /** 0 for a listening socket. */
  remotePort: number;
  /** Last state recorded; `CLOSED` once the kernel no longer lists it. */
  state?: string;
}

/** Something the run must close at its end. */
export interface Closable {
  /** Closes at once; resolves when closed. Called once; must not throw. */
  shutdown(reason: string): Promise<void>;
}

/**
 * `CLOSED` is recorded when a socket the kernel listed before is gone from its table
 * (fully closed and freed); the other states are the kernel's own names.
 */
export const GONE_STATE = 'CLOSED';

export class RunRecorder {
  private readonly lanes = new LaneIndex();
  private readonly tracked: TrackedTcp[] = [];
  private readonly open = new Set<Closable>();
  private readonly laneCounters = { tcp: 0, udp: 0 };

  constructor(
    private readonly send: (message: ChildMessage) => void,
    /** The kernel's TCP table; a socket is matched by family, local and remote port. */
    private readonly readSockets: (families: ReadonlySet<4 | 6>) => KernelTcpSocket[] = readKernelTcpSockets,
  ) {}

  /** Records an event, stamped now (or at `atUs`). */
  event(event: NewEvent, atUs: number = nowUs()): void {
    this.send({ type: 'event', event: { ...event, atUs } as ChildEvent });
  }

  /** A program about to run as its own process, with the source it runs. */
  program(program: ProgramSource): void {
    this.send({ type: 'program', program });
  }

  /** The lane between two endpoints (either direction), made when new. `client` connected or sent first. */
  laneFor(
    transport: 'tcp' | 'udp',
    client: string,
    server: string,
    actors: { client?: string; server?: string } = {},
  ): Lane {
    const found = this.findLane(transport, client, server);
    if (found) return found;
    const n = ++this.laneCounters[transport];
    const lane: Lane = { id: `${transport}-${n}`, transport, client, server };
    if (actors.client) lane.clientActor = actors.client;
    if (actors.server) lane.serverActor = actors.server;
    this.lanes.add(lane);
    this.send({ type: 'lane', lane });
    return lane;
  }

  findLane(transport: 'tcp' | 'udp', a: string, b: string): Lane | undefined {
    return this.lanes.between(transport, a, b);
  }

  /** Follows this socket's kernel state from now on (recorded by `sampleStates`). */
  trackTcp(socket: TrackedTcp): void {
    this.tracked.push(socket);
  }

  /**
   * Reads the kernel's TCP table now and records a `state` event for each tracked socket whose
   * state changed since the last reading.
   */
  sampleStates(): void {
    if (this.tracked.length === 0) return;
    const table = this.readSockets(new Set(this.tracked.map((t) => t.family)));
    for (const socket of this.tracked) {
      const entry = table.find(
        (k) => k.family === socket.family && k.localPort === socket.localPort && k.remotePort === socket.remotePort,
      );
      const state = entry ? entry.state : socket.state === undefined ? undefined : GONE_STATE;
      if (state === undefined || state === socket.state) continue;
      socket.state = state;
      const event: NewEvent = { kind: 'socket', actor: socket.actor, op: 'state', local: socket.local, state };
      if (socket.remote !== undefined) event.remote = socket.remote;
      if (socket.lane !== undefined) event.lane = socket.lane;
      this.event(event);
    }
  }

  /** Registers something to close at the end of the run; returns the function that unregisters it. */
  keepOpen(resource: Closable): () => void {
    this.open.add(resource);
    return () => this.open.delete(resource);
  }

  /** Closes everything still open (sockets, servers), each bounded in time. */
  async closeAll(reason: string, timeoutMs = 1000): Promise<void> {
    const pending = [...this.open];
    this.open.clear();
    await Promise.all(
      pending.map((resource) =>
        Promise.race([
          resource.shutdown(reason).catch(() => undefined),
          new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
        ]),
      ),
    );
  }
}

