import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorReply } from '../contract/api.js';
import { isLabError } from '../errors.js';

/**
 * Every error leaves as `{ error: { code, message } }` (the contract's ErrorReply, declared as
 * the 4xx and 5xx response of every API route); nothing internal leaks.
 */
/** Whether a request not found is a browser asking for a page (not the API, not the WebSocket). */
function wantsPage(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '';
  return request.method === 'GET' && !path.startsWith('/api/') && path !== '/ws' && (request.headers.accept ?? '').includes('text/html');
}

/**
 * `page`: sends the page; a browser asking for a path that is no page gets it (with 404), so it
 * shows its own "not found" in the reader's language rather than JSON.
 */
export function installErrorHandler(app: FastifyInstance, page: ((request: FastifyRequest, reply: FastifyReply) => FastifyReply) | null = null): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const schema = (route.schema ??= {});
    const response = (schema.response ??= {}) as Record<string, unknown>;
    response['4xx'] ??= ErrorReply;
    response['5xx'] ??= ErrorReply;
  });
  app.setErrorHandler((err: FastifyError | Error, request, reply) => {
    if (isLabError(err)) {
      return reply.code(err.statusCode).send({ error: { code: err.code, message: err.message, ...(err.messages ? { messages: err.messages } : {}) } });
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      return reply.code(400).send({ error: { code: 'REQUEST_INVALID', message: `Request ${fe.validationContext ?? ''} ${fe.message}`.replace(/\s+/g, ' ') } });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.code(fe.statusCode).send({ error: { code: fe.code ?? 'REQUEST_INVALID', message: fe.message } });
    }
    request.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: { code: 'INTERNAL', message: 'Something went wrong on the server; the log has the details.' } });
  });
  app.setNotFoundHandler((request, reply) => {
    if (page && wantsPage(request)) return page(request, reply.code(404));
    return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}` } });
  });
}
