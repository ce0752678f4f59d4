/**
 * The REST server: routes, validation at the boundary and the one error shape. Knows the services,
 * never the store's internals.
 */
import * as restify from 'restify';
import { z } from 'zod';
import { ProcedureCode } from '../../knowledge/schemas';
import type { Logger } from '../logger';
import type { ProcedureCatalog } from '../services/procedure-search';
import type { Store } from '../store/types';
import { sendError, sendValidationError } from './errors';

export interface ServerDeps {
  store: Store;
  catalog: ProcedureCatalog;
  log: Logger;
  maxBodyBytes: number;
}

const LIMIT_MESSAGE = 'limit phải là số nguyên từ 1 đến 50';
const SearchQuery = z.object({
  q: z
    .string({ error: 'cần nội dung tìm kiếm (q)' })
    .trim()
    .min(1, 'cần nội dung tìm kiếm (q)')
    .max(300, 'q tối đa 300 ký tự'),
  limit: z.coerce
    .number({ error: LIMIT_MESSAGE })
    .int(LIMIT_MESSAGE)
    .min(1, LIMIT_MESSAGE)
    .max(50, LIMIT_MESSAGE)
    .default(10),
});
const CodeParams = z.object({ code: ProcedureCode });

function single(value: unknown): unknown {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

export function createServer(deps: ServerDeps): restify.Server {
  const { store, catalog, log } = deps;
  const server = restify.createServer({ name: 'motcua-assistant', handleUncaughtExceptions: true });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ maxBodySize: deps.maxBodyBytes, mapParams: false, rejectUnknown: true }));

  server.get('/healthz', async (_req, res) => {
    try {
      await store.ping();
      res.send(200, { status: 'ok', store: store.kind, procedures: catalog.size });
    } catch (error) {
      log.warn('store does not answer', { error });
      res.send(503, { status: 'unavailable', store: store.kind, message: 'Kho dữ liệu tạm thời không phản hồi.' });
    }
  });

  server.get('/api/procedures/search', async (req, res) => {
    const query = SearchQuery.safeParse({ q: single(req.query?.q), limit: single(req.query?.limit) ?? undefined });
    if (!query.success) return sendValidationError(res, query.error);
    const results = catalog.search(query.data.q, { limit: query.data.limit });
    if (results.length === 0) log.info('search found nothing', { query: query.data.q });
    res.send(200, { query: query.data.q, results });
  });

  server.get('/api/procedures/:code', async (req, res) => {
    const params = CodeParams.safeParse({ code: req.params.code });
    if (!params.success) return sendValidationError(res, params.error);
    const procedure = await catalog.get(params.data.code);
    if (!procedure) return sendError(res, 404, 'not_found', `Không có thủ tục mã ${params.data.code}.`);
    res.send(200, procedure);
  });

  // Every restify error (unknown route, wrong method, oversize or malformed body) gets our shape.
  server.on('restifyError', (req: restify.Request, _res: restify.Response, err: any, callback: () => void) => {
    const status: number = err.statusCode ?? 500;
    const code =
      status === 404 ? 'not_found' : status === 405 ? 'method_not_allowed' : status === 413 ? 'payload_too_large' : status >= 500 ? 'internal' : 'bad_request';
    const message =
      status === 404
        ? `Không có đường dẫn ${req.method} ${req.path()}.`
        : status === 413
          ? 'Nội dung gửi lên quá lớn.'
          : status >= 500
            ? 'Lỗi máy chủ, xin vui lòng thử lại sau.'
            : String(err.message ?? 'Yêu cầu không hợp lệ.');
    if (status >= 500) log.error('request failed', { method: req.method, path: req.path(), error: err });
    else log.info('request rejected', { method: req.method, path: req.path(), status });
    err.toJSON = () => ({ error: { code, message } });
    return callback();
  });

  server.on('uncaughtException', (req: restify.Request, res: restify.Response, _route: unknown, error: unknown) => {
    log.error('handler crashed', { method: req.method, path: req.path(), error });
    if (!res.headersSent) sendError(res, 500, 'internal', 'Lỗi máy chủ, xin vui lòng thử lại sau.');
  });

  return server;
}
