/**
 * `/ws`: live runs. The first message must be `hello` (with the control token to be allowed to
 * run); then `run` starts an experiment whose events stream back in batches, and `cancel` stops
 * it. A run stops when its client goes away. Bad messages get an `error` reply; the connection
 * and the server stay up.
 */
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { parseClientMessage, type ServerMessage } from './protocol.js';
import { EventBatcher } from './batcher.js';
import type { Params } from '../../contract/experiment.js';
import { isLabError } from '../../errors.js';
import { newRecordingId } from '../../recordings/ids.js';
import { version } from '../../version.js';
import type { RunRequest } from '../../services.js';
import { WS_PATH } from '../security.js';

/** Close code for a client that could not keep up (RFC 6455: 1008 policy violation). */
const CLOSE_TOO_SLOW = 1008;

interface ActiveRun {
  runId: string;
  controller: AbortController;
  batcher: EventBatcher;
  /** Set when this client fell too far behind: the run goes on and is saved without it. */
  detached: boolean;
}

export default async function wsRoute(app: FastifyInstance): Promise<void> {
  app.get(WS_PATH, { websocket: true }, (socket: WebSocket) => {
    let greeted = false;
    let authorized = false;
    let active: ActiveRun | undefined;

    const send = (message: ServerMessage) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    const fail = (code: string, message: string, requestId?: string) =>
      send({ type: 'error', code, message, ...(requestId ? { requestId } : {}) });

    const startRun = (requestId: string, experiment: string, input: Record<string, unknown>, programs: Pick<RunRequest, 'lang' | 'programs'>) => {
      if (!authorized) return fail('TOKEN_REQUIRED', 'Running needs the control token in the hello message.', requestId);
      if (active) return fail('RUN_BUSY', `Run ${active.runId} is still going; cancel it or wait.`, requestId);
      let params: Params;
      try {
        params = app.experiments.resolveParams(experiment, input);
      } catch (err) {
        if (isLabError(err)) return fail(err.code, err.message, requestId);
        throw err;
      }
      const runId = newRecordingId();
      const controller = new AbortController();
      const batcher = new EventBatcher(runId, {
        send,
        bufferedAmount: () => socket.bufferedAmount,
        onOverflow: () => {
          run.detached = true;
          socket.close(CLOSE_TOO_SLOW, 'client too slow');
        },
      });
      const run: ActiveRun = { runId, controller, batcher, detached: false };
      active = run;
      app
        .runLab({
          id: runId,
          experiment,
          params,
          ...programs,
          signal: controller.signal,
          // Said only once the run exists: a refused run (RUN_BUSY) gets its error and nothing else.
          onAccepted: () =>
            send({ type: 'run-started', requestId, runId, experiment, params, startedAtUs: Date.now() * 1000 }),
          onEvent: (event) => batcher.push(event),
          onLane: (lane) => batcher.addLane(lane),
        })
        .then(({ trace }) => {
          batcher.flush();
          // What could not go out (the client is backed up) is counted, never silently lost.
          batcher.dispose();
          send({
            type: 'run-finished',
            runId,
            recordingId: trace.id,
            outcome: trace.outcome,
            counters: { ...trace.counters, ...(batcher.missed ? { gaps: batcher.missed } : {}) },
            durationUs: trace.durationUs,
            facts: app.experiments.facts(trace),
          });
        })
        .catch((err: unknown) => {
          if (isLabError(err)) fail(err.code, err.message, requestId);
          else {
            app.log.error({ err }, 'run failed');
            fail('RUN_FAILED', 'The run failed on the server; the log has the details.', requestId);
          }
        })
        .finally(() => {
          batcher.dispose();
          if (active?.runId === runId) active = undefined;
        });
    };

    socket.on('message', (data, isBinary) => {
      if (isBinary) return fail('MESSAGE_NOT_TEXT', 'Send JSON text frames.');
      const parsed = parseClientMessage(data.toString());
      if (!parsed.ok) return fail(parsed.code, parsed.message);
      const message = parsed.message;
      if (!greeted && message.type !== 'hello') return fail('HELLO_REQUIRED', 'The first message must be {"type":"hello"}.');
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
          });
        case 'cancel':
          if (active?.runId === message.runId) active.controller.abort();
          else fail('RUN_NOT_FOUND', `No active run ${message.runId} on this connection.`);
          return;
      }
    });

    socket.on('close', () => {
      if (active && !active.detached) active.controller.abort();
      active?.batcher.dispose();
    });
  });
}
