/** Read-only routes: health, lessons, experiments. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HealthReply, LangQuery } from '../schemas.js';
import { listExperiments } from '../../experiments/registry.js';
import { version } from '../../version.js';

const infoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/health', { schema: { response: { 200: HealthReply } } }, async () => ({
    ok: true,
    version,
    capture: app.capture,
  }));

  app.get('/api/lessons', { schema: { querystring: LangQuery } }, async (request) =>
    app.lessons.list(request.query.lang ?? 'en'),
  );

  app.get(
    '/api/lessons/:id',
    { schema: { params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,80}$' }) }), querystring: LangQuery } },
    async (request) => app.lessons.get(request.params.id, request.query.lang ?? 'en'),
  );

  app.get('/api/experiments', async () => listExperiments());

};

export default infoRoutes;
