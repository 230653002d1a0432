/**
 * The lab's rooms, by code (`app.rooms`). A room lives while its instructor is connected, and
 * for `ROOM_IDLE_MS` after the last instructor connection went away (a reload or a dropped
 * network takes it back with the same code); then it closes. Their number is bounded.
 */
import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { RoomView } from '../contract/ws.js';
import { LabError } from '../errors.js';
import { Room } from './room.js';

/** Letters and digits no one mistakes for another (no I, O, 0, 1). */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 6;
export const MAX_ROOMS = 32;
/** How long a room waits for its instructor to come back. */
export const ROOM_IDLE_MS = 15 * 60_000;

export function newRoomCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export const HOME_VIEW: RoomView = { path: '/', recordingId: null, step: 0, pointer: null, locked: false };

export class Rooms {
  readonly #rooms = new Map<string, Room>();
  readonly #idle = new Map<string, NodeJS.Timeout>();
  readonly #idleMs: number;

  constructor(idleMs = ROOM_IDLE_MS) {
    this.#idleMs = idleMs;
  }

  get size(): number {
    return this.#rooms.size;
  }

  open(view: RoomView = HOME_VIEW): Room {
    if (this.#rooms.size >= MAX_ROOMS) throw new LabError('ROOMS_FULL', `The lab holds at most ${MAX_ROOMS} rooms; close one first.`);
    let code = newRoomCode();
    while (this.#rooms.has(code)) code = newRoomCode();
    const room = new Room(code, view);
    this.#rooms.set(code, room);
    return room;
  }

  get(code: string): Room | undefined {
    return this.#rooms.get(code);
  }

  /** The instructor is back (or still there): the room stays. */
  attended(room: Room): void {
    clearTimeout(this.#idle.get(room.code));
    this.#idle.delete(room.code);
  }

  /** The last instructor connection went away: the room closes unless one comes back in time. */
  unattended(room: Room): void {
    if (room.instructorCount > 0 || room.closed) return;
    clearTimeout(this.#idle.get(room.code));
    this.#idle.set(
      room.code,
      setTimeout(() => this.close(room.code), this.#idleMs),
    );
  }

  close(code: string): void {
    const room = this.#rooms.get(code);
    clearTimeout(this.#idle.get(code));
    this.#idle.delete(code);
    this.#rooms.delete(code);
    room?.close();
  }

  closeAll(): void {
    for (const code of [...this.#rooms.keys()]) this.close(code);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    rooms: Rooms;
    /** Addresses students can open to join a room (`http://192.168.1.20:7357/join/CODE`). */
    joinUrls: (code: string) => string[];
  }
}

export interface RoomsOptions {
  /** The lab's addresses on the classroom network (empty: loopback only). */
  lanAddresses: readonly string[];
  /** The URL this machine opens (when the lab is not on the classroom network). */
  localUrl: () => string;
  idleMs?: number;
}

export default fp(
  async function roomsPlugin(app: FastifyInstance, opts: RoomsOptions) {
    const rooms = new Rooms(opts.idleMs);
    app.decorate('rooms', rooms);
    app.decorate('joinUrls', (code: string) => {
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const bases = opts.lanAddresses.length
        ? opts.lanAddresses.map((ip) => `http://${ip.includes(':') ? `[${ip}]` : ip}:${port}`)
        : [opts.localUrl()];
      return bases.map((base) => `${base}/join/${code}`);
    });
    app.addHook('onClose', async () => rooms.closeAll());
  },
  { name: 'rooms' },
);
