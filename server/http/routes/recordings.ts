/**
 * Recordings: list, meta, a window of events, the whole trace JSON (streamed, any size), export
 * pcapng, import (trace JSON, pcap, pcapng), delete.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Readable } from 'node:stream';
import { Type } from 'typebox';
import { EventsQuery, EventsReply, FactsReply, IdParams, ImportReply, LangQuery, MetaReply, Pcapng, RecordingList } from '../../contract/api.js';
import { traceToPcapng } from '../../recordings/pcapng.js';
import { NO_FACTS } from '../../contract/facts.js';
import { Trace } from '../../contract/trace.js';
import { importCapture, importTrace } from '../../recordings/import.js';
import { LabError } from '../../errors.js';

const CAPTURE_TYPES = ['application/octet-stream', 'application/vnd.tcpdump.pcap', 'application/x-pcapng'];
/** Facts are computed from the whole trace in memory: lesson runs, not big captures. */
const MAX_FACTS_EVENTS = 40_000;
/** How often the recordings the disk would not take are tried again, at most. */
const RETRY_MS = 5000;

const recordingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // An import is read as it arrives (never held whole): the body is the request stream.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser([...CAPTURE_TYPES, 'application/json'], (_req, payload, done) => {
    done(null, payload);
  });

  let lastRetry = 0;
  app.get('/api/recordings', { schema: { response: { 200: RecordingList } } }, async () => {
    if (Date.now() - lastRetry > RETRY_MS) {
      lastRetry = Date.now();
      await app.recordings.retryUnsaved();
    }
    return app.recordings.list();
  });

  app.get('/api/recordings/:id/meta', { schema: { params: IdParams, response: { 200: MetaReply } } }, async (request) =>
    app.recordings.meta(request.params.id),
  );

  app.get('/api/recordings/:id/events', { schema: { params: IdParams, querystring: EventsQuery, response: { 200: EventsReply } } }, async (request) => {
    const from = Number(request.query.from);
    const { total, events } = await app.recordings.events(request.params.id, from, Number(request.query.count));
    return { total, from, events, ...app.recordings.numberingOf(request.params.id, events) };
  });

  // The trace is made as it is sent (a stream, read from the recording a window at a time as the
  // client takes it), so it is served at every size the store keeps; its shape is the contract's Trace.
  app.get('/api/recordings/:id', { schema: { params: IdParams, response: { 200: Type.Unsafe<unknown>(Trace) } } }, async (request, reply) => {
    app.recordings.meta(request.params.id);
    return reply.type('application/json; charset=utf-8').send(app.recordings.traceStream(request.params.id));
  });

  /** What the run showed, in the terms its lesson uses (facts and step marks). */
  app.get('/api/recordings/:id/facts', { schema: { params: IdParams, response: { 200: FactsReply } } }, async (request) => {
    const meta = app.recordings.meta(request.params.id);
    if (meta.eventCount > MAX_FACTS_EVENTS) return NO_FACTS;
    return app.experiments.facts(await app.recordings.trace(request.params.id));
  });

  // `?lang=`: each packet carries a comment saying what it is, in that language (the page's).
  app.get('/api/recordings/:id/pcapng', { schema: { params: IdParams, querystring: LangQuery, response: { 200: Pcapng } } }, async (request, reply) => {
    const { lang } = request.query;
    const commented = lang !== undefined && app.recordings.meta(request.params.id).eventCount <= MAX_FACTS_EVENTS;
    const file = commented
      ? await app.recordings.trace(request.params.id).then((trace) => Buffer.from(traceToPcapng(trace, app.experiments.packetComments(trace, lang))))
      : app.recordings.pcapng(request.params.id);
    return reply
      .type('application/x-pcapng')
      .header('content-disposition', `attachment; filename="${request.params.id}.pcapng"`)
      .send(file as Uint8Array);
  });

  app.post(
    '/api/recordings',
    {
      onRequest: app.requireToken,
      // `name`: the file's name, shown as the title of an imported capture.
      schema: {
        querystring: Type.Object({ name: Type.Optional(Type.String({ maxLength: 120 })) }, { additionalProperties: false }),
        response: { 201: ImportReply },
      },
    },
    async (request, reply) => {
      const body = request.body as unknown;
      if (body === null || typeof body !== 'object' || typeof (body as Readable).pipe !== 'function') {
        throw new LabError('IMPORT_EMPTY', 'Send a trace JSON (application/json) or a pcap/pcapng file (application/octet-stream).');
      }
      const stream = body as Readable;
      const json = (request.headers['content-type'] ?? '').startsWith('application/json');
      try {
        const meta = json ? await importTrace(app.recordings, stream) : await importCapture(app.recordings, stream, request.query.name || undefined);
        return reply.code(201).send({ recordingId: meta.id, trace: meta });
      } catch (err) {
        // What is left of the file is not read: the connection closes after the answer.
        stream.pause();
        reply.header('connection', 'close');
        throw err;
      }
    },
  );

  app.delete('/api/recordings/:id', { schema: { params: IdParams, response: { 204: Type.Null() } }, onRequest: app.requireToken }, async (request, reply) => {
    await app.recordings.remove(request.params.id);
    return reply.code(204).send(null);
  });
};

export default recordingRoutes;
