import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RunBody, RunReply } from '../../contract/api.js';

/** `POST /api/runs`: run an experiment headless; answers when it is done and saved. */
const runRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/runs', { schema: { body: RunBody, response: { 200: RunReply } }, onRequest: app.requireToken }, async (request, reply) => {
    const controller = new AbortController();
    // A client that hangs up before the answer does not leave a run behind.
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) controller.abort();
    });
    const { trace, meta } = await app.runLab({
      experiment: request.body.experiment,
      params: request.body.params ?? {},
      ...(request.body.lang ? { lang: request.body.lang } : {}),
      ...(request.body.programs ? { programs: request.body.programs } : {}),
      signal: controller.signal,
    });
    return { recordingId: meta.id, trace };
  });
};

export default runRoutes;
