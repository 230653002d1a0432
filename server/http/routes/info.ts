/** Read-only routes: health, lessons, experiments. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DecodeBody, DecodeReply, ExperimentList, HealthReply, LangQuery, LessonList, LessonReply, ProgramFilesReply, ProgramsParams } from '../../contract/api.js';
import { decodeFrame } from '../../decode/index.js';
import { version } from '../../version.js';

const infoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/health', { schema: { response: { 200: HealthReply } } }, async () => ({
    ok: true,
    version,
    capture: app.capture,
  }));

  app.get('/api/lessons', { schema: { querystring: LangQuery, response: { 200: LessonList } } }, async (request) =>
    app.lessons.list(request.query.lang ?? 'en'),
  );

  app.get(
    '/api/lessons/:id',
    {
      schema: {
        params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,80}$' }) }),
        querystring: LangQuery,
        response: { 200: LessonReply },
      },
    },
    async (request) => {
      // The speaker notes go to the instructor's page only (it sends the control token).
      const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      return app.lessons.get(request.params.id, request.query.lang ?? 'en', app.checkToken(bearer));
    },
  );

  app.get('/api/experiments', { schema: { response: { 200: ExperimentList } } }, async () => app.experiments.list());

  app.get(
    '/api/experiments/:id/programs/:lang',
    { schema: { params: ProgramsParams, response: { 200: ProgramFilesReply } } },
    async (request) => app.experiments.programFiles(request.params.id, request.params.lang),
  );

  // Decoding starts nothing and writes nothing: no token (a follower's page asks too).
  app.post('/api/decode', { schema: { body: DecodeBody, response: { 200: DecodeReply } } }, async (request) => {
    const { data, linktype, len, loopback } = request.body;
    const { layers, summary } = decodeFrame(Buffer.from(data, 'base64'), linktype, len, { loopback: loopback === true });
    return { layers, summary };
  });
};

export default infoRoutes;
