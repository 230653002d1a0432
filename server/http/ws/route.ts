/**
 * `/ws`: live runs and rooms. The first message must be `hello` (with the control token to be
 * allowed to run); then `run` starts an experiment whose events stream back in batches, and
 * `cancel` stops it. A run stops when its client goes away. Bad messages get an `error` reply;
 * the connection and the server stay up.
 *
 * Rooms: `room-open` (token) makes this connection a room's instructor; `room-join` makes it a
 * follower, read-only: a follower's control messages are refused (`ROOM_READ_ONLY`) and
 * counted. A `run` naming a room is shown live to its followers.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { parseClientMessage, type ServerMessage } from './protocol.js';
import { RunStream, type Viewer, type ViewerLimits } from './stream.js';
import type { Params } from '../../contract/experiment.js';
import { isLabError } from '../../errors.js';
import { newRecordingId } from '../../recordings/ids.js';
import { version } from '../../version.js';
import type { RunRequest } from '../../services.js';
import { WS_PATH } from '../security.js';
import { INSTRUCTOR_MESSAGE_TYPES } from '../../contract/ws.js';
import type { Outlet } from '../../rooms/fanout.js';
import type { Follower, Room } from '../../rooms/room.js';

/** Close code for a client that could not keep up (RFC 6455: 1008 policy violation). */
const CLOSE_TOO_SLOW = 1008;

type Membership =
  | { role: 'instructor'; room: Room; outlet: Outlet }
  | { role: 'follower'; room: Room; outlet: Outlet; follower: Follower };

const instructorOnly = new Set<string>(INSTRUCTOR_MESSAGE_TYPES);

interface ActiveRun {
  runId: string;
  controller: AbortController;
  stream: RunStream;
  /** This connection, as a viewer of the run's stream. */
  viewer: Viewer;
  /** Set when this client fell too far behind: the run goes on and is saved without it. */
  detached: boolean;
}

export interface WsRouteOptions {
  /** How far a page watching its run may fall behind before it gets a `gap` (default VIEWER_LIMITS). */
  viewerLimits?: ViewerLimits;
}

export default async function wsRoute(app: FastifyInstance, opts: WsRouteOptions = {}): Promise<void> {
  app.get(WS_PATH, { websocket: true }, (socket: WebSocket) => {
    let greeted = false;
    let authorized = false;
    let active: ActiveRun | undefined;
    let member: Membership | undefined;

    const send = (message: ServerMessage) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    /** This socket as a room's outlet: a frame shared with the whole room. */
    const outletOptions = {
      send: (frame: Buffer) => {
        if (socket.readyState === socket.OPEN) socket.send(frame, { binary: false });
      },
      bufferedAmount: () => socket.bufferedAmount,
      // Too far behind: cut off; the page reconnects and is sent the room's state at once.
      onOverflow: () => socket.close(CLOSE_TOO_SLOW, 'client too slow'),
    };
    const leaveRoom = () => {
      if (!member) return;
      if (member.role === 'follower') member.room.leave(member.follower, member.outlet);
      else {
        member.room.removeInstructor(member.outlet);
        app.rooms.unattended(member.room);
      }
      member = undefined;
    };
    const fail = (code: string, message: string, requestId?: string, messages?: Readonly<Record<string, string>>) =>
      send({ type: 'error', code, message, ...(messages ? { messages: { ...messages } } : {}), ...(requestId ? { requestId } : {}) });

    const startRun = (
      requestId: string,
      experiment: string,
      input: Record<string, unknown>,
      programs: Pick<RunRequest, 'lang' | 'programs'>,
      roomCode: string | undefined,
    ) => {
      if (!authorized) return fail('TOKEN_REQUIRED', 'Running needs the control token in the hello message.', requestId);
      if (active) return fail('RUN_BUSY', `Run ${active.runId} is still going; cancel it or wait.`, requestId);
      const room = roomCode === undefined ? undefined : app.rooms.get(roomCode);
      if (roomCode !== undefined && !room) return fail('ROOM_NOT_FOUND', `No room ${roomCode}.`, requestId);
      let params: Params;
      try {
        params = app.experiments.resolveParams(experiment, input);
      } catch (err) {
        if (isLabError(err)) return fail(err.code, err.message, requestId, err.messages);
        throw err;
      }
      const runId = newRecordingId();
      const controller = new AbortController();
      const stream = new RunStream(runId);
      const viewer = stream.addViewer({
        ...opts.viewerLimits,
        send: (text) => {
          if (socket.readyState === socket.OPEN) socket.send(text, { binary: false });
        },
        bufferedAmount: () => socket.bufferedAmount,
        onOverflow: () => {
          run.detached = true;
          socket.close(CLOSE_TOO_SLOW, 'client too slow');
        },
      });
      const run: ActiveRun = { runId, controller, stream, viewer, detached: false };
      active = run;
      // The room's followers get the same frames, serialised once for all of them.
      if (room) {
        stream.addViewer({
          send: (frame, events) => room.runFrame(frame, events),
          bufferedAmount: () => 0,
          onOverflow: () => {},
          maxPendingEvents: Number.POSITIVE_INFINITY,
        });
      }
      app
        .runLab({
          id: runId,
          experiment,
          params,
          ...programs,
          signal: controller.signal,
          // Said only once the run exists: a refused run (RUN_BUSY) gets its error and nothing else.
          onAccepted: () => {
            const started = { type: 'run-started', requestId, runId, experiment, params, startedAtUs: Date.now() * 1000 } as const;
            send(started);
            room?.runStarted(started);
          },
          onEvent: (event) => stream.push(event),
          onLane: (lane) => stream.addLane(lane),
        })
        .then(async ({ trace }) => {
          // What could not go out (the client stayed backed up) is counted, never silently lost.
          await stream.finish();
          const finished: ServerMessage = {
            type: 'run-finished',
            runId,
            recordingId: trace.id,
            outcome: trace.outcome,
            counters: { ...trace.counters, ...(viewer.missed ? { gaps: viewer.missed } : {}) },
            durationUs: trace.durationUs,
            facts: app.experiments.facts(trace),
          };
          send(finished);
          room?.runEnded({ ...finished, counters: trace.counters });
        })
        .catch((err: unknown) => {
          const error = isLabError(err)
            ? { code: err.code, message: err.message }
            : { code: 'RUN_FAILED', message: 'The run failed on the server; the log has the details.' };
          if (!isLabError(err)) app.log.error({ err }, 'run failed');
          fail(error.code, error.message, requestId);
          room?.runEnded({ type: 'error', ...error, requestId });
        })
        .finally(() => {
          stream.close();
          if (active?.runId === runId) active = undefined;
        });
    };

    socket.on('message', (data, isBinary) => {
      if (isBinary) return fail('MESSAGE_NOT_TEXT', 'Send JSON text frames.');
      const parsed = parseClientMessage(data.toString());
      if (!parsed.ok) return fail(parsed.code, parsed.message);
      const message = parsed.message;
      if (!greeted && message.type !== 'hello') return fail('HELLO_REQUIRED', 'The first message must be {"type":"hello"}.');
      if (member?.role === 'follower' && instructorOnly.has(message.type)) {
        member.room.refuse();
        return fail('ROOM_READ_ONLY', `Followers of room ${member.room.code} cannot send "${message.type}"; only the instructor controls the room.`);
      }
      switch (message.type) {
        case 'hello':
          greeted = true;
          authorized = app.checkToken(message.token);
          if (message.token !== undefined && !authorized) fail('TOKEN_INVALID', 'That control token is not valid; this connection is read-only.');
          return send({ type: 'welcome', version, capture: app.capture, authorized });
        case 'run':
          return startRun(message.requestId, message.experiment, message.params, {
            ...(message.lang ? { lang: message.lang } : {}),
            ...(message.programs ? { programs: message.programs } : {}),
          }, message.room);
        case 'cancel':
          if (active?.runId === message.runId) active.controller.abort();
          else fail('RUN_NOT_FOUND', `No active run ${message.runId} on this connection.`);
          return;
        case 'room-open': {
          if (!authorized) return fail('TOKEN_REQUIRED', 'Opening a room needs the control token in the hello message.');
          if (member) return fail('ROOM_ALREADY_IN', `This connection is already in room ${member.room.code}.`);
          let room: Room | undefined;
          if (message.code !== undefined) {
            room = app.rooms.get(message.code);
            if (!room) return fail('ROOM_NOT_FOUND', `No room ${message.code}; it may have closed.`);
            if (message.view) room.setView(message.view);
          } else {
            try {
              room = app.rooms.open(message.view);
            } catch (err) {
              if (isLabError(err)) return fail(err.code, err.message);
              throw err;
            }
          }
          app.rooms.attended(room);
          send({ type: 'room-joined', code: room.code, role: 'instructor', clientId: '', joinUrls: app.joinUrls(room.code) });
          member = { role: 'instructor', room, outlet: room.addInstructor(outletOptions) };
          return;
        }
        case 'room-join': {
          if (member?.role === 'instructor') return fail('ROOM_ALREADY_IN', `This connection is room ${member.room.code}'s instructor.`);
          const room = app.rooms.get(message.code);
          if (!room) return fail('ROOM_NOT_FOUND', `No room ${message.code}; check the code with your instructor.`);
          leaveRoom();
          const clientId = message.clientId ?? randomBytes(12).toString('base64url');
          send({ type: 'room-joined', code: room.code, role: 'follower', clientId, joinUrls: app.joinUrls(room.code) });
          const follower = room.join(clientId, message.name, outletOptions);
          if (!follower) return fail('ROOM_FULL', `Room ${room.code} is full.`);
          member = { role: 'follower', room, outlet: follower.outlet!, follower };
          return;
        }
        case 'room-view':
        case 'room-poll':
        case 'room-close': {
          if (member?.role !== 'instructor') return fail('ROOM_NOT_IN', 'Open a room first (room-open).');
          if (message.type === 'room-view') member.room.setView(message.view);
          else if (message.type === 'room-poll') member.room.setPoll(message.poll);
          else {
            const { room } = member;
            member = undefined;
            app.rooms.close(room.code);
          }
          return;
        }
        case 'room-detach':
        case 'room-answer': {
          if (member?.role !== 'follower') return fail('ROOM_NOT_IN', 'Join a room first (room-join).');
          if (message.type === 'room-detach') {
            if (!member.room.detach(member.follower, message.detached)) fail('ROOM_LOCKED', 'The instructor asked everyone to follow for now.');
          } else if (!member.room.answer(member.follower, message.question, message.answer)) {
            fail('POLL_CLOSED', 'That question is not open for answers.');
          }
          return;
        }
      }
    });

    socket.on('close', () => {
      leaveRoom();
      if (active && !active.detached) active.controller.abort();
      if (active) active.stream.removeViewer(active.viewer);
    });
  });
}
