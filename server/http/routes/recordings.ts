/** Recordings: list, get, export pcapng, import (trace JSON, pcap, pcapng), delete. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { FactsReply, IdParams, ImportReply, Pcapng, RecordingList } from '../../contract/api.js';
import { Trace } from '../../contract/trace.js';
import { importCapture, importTraceJson } from '../../recordings/import.js';
import { LabError } from '../../errors.js';

/** Imports can be large captures; 32 MiB is plenty for a lesson and bounds memory. */
const IMPORT_LIMIT = 32 * 1024 * 1024;
const CAPTURE_TYPES = ['application/octet-stream', 'application/vnd.tcpdump.pcap', 'application/x-pcapng'];

const recordingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser(CAPTURE_TYPES, { parseAs: 'buffer', bodyLimit: IMPORT_LIMIT }, (_req, body, done) => {
    done(null, body);
  });

  app.get('/api/recordings', { schema: { response: { 200: RecordingList } } }, async () => app.recordings.list());

  // The trace goes out as stored (a stream, not re-serialised); its shape is the contract's Trace.
  app.get('/api/recordings/:id', { schema: { params: IdParams, response: { 200: Type.Unsafe<unknown>(Trace) } } }, async (request, reply) =>
    reply.type('application/json; charset=utf-8').send(app.recordings.traceStream(request.params.id)),
  );

  /** What the run showed, in the terms its lesson uses (facts and step marks). */
  app.get('/api/recordings/:id/facts', { schema: { params: IdParams, response: { 200: FactsReply } } }, async (request) =>
    app.experiments.facts(await app.recordings.trace(request.params.id)),
  );

  app.get('/api/recordings/:id/pcapng', { schema: { params: IdParams, response: { 200: Pcapng } } }, async (request, reply) => {
    const bytes = await app.recordings.pcapng(request.params.id);
    return reply
      .type('application/x-pcapng')
      .header('content-disposition', `attachment; filename="${request.params.id}.pcapng"`)
      .send(bytes);
  });

  app.post(
    '/api/recordings',
    {
      onRequest: app.requireToken,
      bodyLimit: IMPORT_LIMIT,
      // `name`: the file's name, shown as the title of an imported capture.
      schema: {
        querystring: Type.Object({ name: Type.Optional(Type.String({ maxLength: 120 })) }, { additionalProperties: false }),
        response: { 201: ImportReply },
      },
    },
    async (request, reply) => {
      const body = request.body;
      let trace;
      if (Buffer.isBuffer(body)) {
        trace = importCapture(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), request.query.name || undefined);
      } else if (body !== null && typeof body === 'object') {
        trace = importTraceJson(body);
      } else {
        throw new LabError('IMPORT_EMPTY', 'Send a trace JSON (application/json) or a pcap/pcapng file (application/octet-stream).');
      }
      const meta = await app.recordings.save(trace);
      return reply.code(201).send({ recordingId: meta.id, trace: meta });
    },
  );

  app.delete('/api/recordings/:id', { schema: { params: IdParams, response: { 204: Type.Null() } }, onRequest: app.requireToken }, async (request, reply) => {
    await app.recordings.remove(request.params.id);
    return reply.code(204).send(null);
  });
};

export default recordingRoutes;
