/**
 * Routes declared once with their zod schemas: the same declaration validates requests, checks the
 * officer token and produces the OpenAPI description, so the documentation cannot drift from the code.
 */
import type * as restify from 'restify';
import { z } from 'zod';
import type { Logger } from '../logger';
import { ServiceError } from '../services/errors';
import { authenticate } from '../services/officer-auth';
import type { OfficerToken, Store } from '../store/types';
import { clientAddressResolver, type ClientAddress } from './client-address';
import { sendError, sendValidationError } from './errors';

type Method = 'get' | 'post' | 'put' | 'delete';

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Who is calling, for per-client limits: the peer address. */
  clientId: string;
  officer: OfficerToken | null;
}

export interface RouteSpec<P extends z.ZodTypeAny, Q extends z.ZodTypeAny, B extends z.ZodTypeAny> {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  auth?: 'officer' | 'admin';
  /** Per-client request budget per minute (against scraping and resellers); shared by all processes. */
  rateLimited?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  responses: Record<number, { description: string; schema?: z.ZodTypeAny }>;
  handler: (ctx: RouteContext<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<{ status: number; body: unknown }>;
}

const Empty = z.object({});

function single(value: unknown): unknown {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

function flatten(query: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query ?? {}).map(([k, v]) => [k, single(v)]));
}

export const ErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

export class Router {
  private readonly specs: RouteSpec<z.ZodTypeAny, z.ZodTypeAny, z.ZodTypeAny>[] = [];

  constructor(
    private readonly server: restify.Server,
    private readonly store: Store,
    private readonly log: Logger,
    private readonly requestsPerMinute: number,
    private readonly clientAddress: ClientAddress = clientAddressResolver(),
  ) {}

  add<P extends z.ZodTypeAny = typeof Empty, Q extends z.ZodTypeAny = typeof Empty, B extends z.ZodTypeAny = typeof Empty>(
    spec: RouteSpec<P, Q, B>,
  ): void {
    this.specs.push(spec as never);
    const handler = async (req: restify.Request, res: restify.Response) => {
      const clientId = this.clientAddress(req);
      if (spec.rateLimited) {
        const minute = Math.floor(Date.now() / 60_000);
        const used = await this.store.counters.increment(`rate|${clientId}|${minute}`, new Date((minute + 2) * 60_000));
        if (used > this.requestsPerMinute) {
          res.header('Retry-After', String(60 - (Math.floor(Date.now() / 1000) % 60)));
          sendError(res, 429, 'rate_limited', 'Quá nhiều yêu cầu, xin thử lại sau ít phút.');
          return;
        }
      }
      let officer: OfficerToken | null = null;
      if (spec.auth) {
        officer = await authenticate(this.store, req.header('authorization'));
        if (!officer) {
          res.header('WWW-Authenticate', 'Bearer');
          sendError(res, 401, 'unauthorized', 'Cần mã truy cập của cán bộ (Authorization: Bearer …).');
          return;
        }
        if (spec.auth === 'admin' && officer.role !== 'admin') {
          sendError(res, 403, 'forbidden', 'Chức năng này chỉ dành cho quản trị viên.');
          return;
        }
      }
      const params = (spec.params ?? Empty).safeParse(req.params ?? {});
      if (!params.success) {
        sendValidationError(res, params.error);
        return;
      }
      const query = (spec.query ?? Empty).safeParse(flatten(req.query));
      if (!query.success) {
        sendValidationError(res, query.error);
        return;
      }
      let body: unknown = {};
      if (spec.body) {
        const parsed = spec.body.safeParse(req.body ?? undefined);
        if (!parsed.success) {
          sendValidationError(res, parsed.error);
          return;
        }
        body = parsed.data;
      }
      try {
        const result = await spec.handler({
          params: params.data as z.infer<P>,
          query: query.data as z.infer<Q>,
          body: body as never,
          clientId,
          officer,
        });
        res.send(result.status, result.body);
      } catch (error) {
        if (error instanceof ServiceError) {
          this.log.info('request refused', { requestId: req.id(), path: req.path(), status: error.status, code: error.code });
          const fields = error.details?.fields as { path: string; message: string }[] | undefined;
          const extra = Object.fromEntries(Object.entries(error.details ?? {}).filter(([k]) => k !== 'fields'));
          res.send(error.status, { error: { code: error.code, message: error.message, ...(fields ? { fields } : {}), ...extra } });
          return;
        }
        throw error;
      }
    };
    this.server[spec.method === 'delete' ? 'del' : spec.method](spec.path, handler);
  }

  /** OpenAPI 3.1 description of every route, generated from the zod schemas. */
  openApi(info: { title: string; version: string }): unknown {
    const json = (schema: z.ZodTypeAny) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
    const paths: Record<string, Record<string, unknown>> = {};
    for (const spec of this.specs) {
      const path = spec.path.replace(/:(\w+)/g, '{$1}');
      const parameters: unknown[] = [];
      for (const [where, schema] of [
        ['path', spec.params],
        ['query', spec.query],
      ] as const) {
        if (!schema) continue;
        const object = json(schema) as { properties?: Record<string, unknown>; required?: string[] };
        for (const [name, property] of Object.entries(object.properties ?? {})) {
          parameters.push({ name, in: where, required: where === 'path' || (object.required ?? []).includes(name), schema: property });
        }
      }
      paths[path] ??= {};
      paths[path][spec.method] = {
        summary: spec.summary,
        tags: [spec.tag],
        ...(spec.auth ? { security: [{ officerToken: [] }] } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: json(spec.body) } } } } : {}),
        responses: Object.fromEntries(
          Object.entries(spec.responses).map(([status, r]) => [
            status,
            {
              description: r.description,
              content: { 'application/json': { schema: json(r.schema ?? (Number(status) >= 400 ? ErrorSchema : z.unknown())) } },
            },
          ]),
        ),
      };
    }
    return {
      openapi: '3.1.0',
      info,
      components: { securitySchemes: { officerToken: { type: 'http', scheme: 'bearer', description: 'npm run officer:token' } } },
      paths,
    };
  }
}
