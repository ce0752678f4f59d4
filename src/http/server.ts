/**
 * The REST server: every route declared with its schemas (see router.ts), one error shape. Knows the
 * services, never the store's internals.
 */
import type { ClientAddress } from './client-address';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as restify from 'restify';
import { z } from 'zod';
import { Branch, LegalBasis, Procedure, ProcedureCode } from '../../knowledge/schemas';
import { BookingCode, PhoneNumber } from '../domain/booking/booking';
import { isValidLocalDate } from '../domain/calendar/vietnam-time';
import { Dossier, DossierStatus, normaliseDossierCode } from '../domain/dossier/dossier';
import { checkPersonName } from '../domain/text/person-name';
import type { Logger } from '../logger';
import type { AvailabilityService } from '../services/availability-service';
import type { BookingService } from '../services/booking-service';
import type { WaitlistService } from '../services/waitlist-service';
import type { DossierService } from '../services/dossier-service';
import type { FeedbackService } from '../services/feedback-service';
import { registerOfficerTokenRoutes } from './officer-token-routes';
import type { ProcedureCatalog } from '../services/procedure-search';
import type { Store } from '../store/types';
import { jsonBody } from './body';
import { Router } from './router';
import { RETRY_AFTER_SECONDS, UNAVAILABLE_MESSAGE, isStoreUnavailable } from '../store/availability';

export interface ServerDeps {
  store: Store;
  catalog: ProcedureCatalog;
  availability: AvailabilityService;
  bookings: BookingService;
  waitlist: WaitlistService;
  dossiers: DossierService;
  feedback: FeedbackService;
  log: Logger;
  dossierCodePattern: RegExp;
  requestsPerMinute: number;
  /** Who a request comes from (the connection, or X-Forwarded-For from a trusted proxy). */
  clientAddress?: ClientAddress;
  /** Lifetime of an officer token created through the admin route. */
  officerTokenDays?: number;
}

const LIMIT_MESSAGE = 'limit phải là số nguyên từ 1 đến 50';
const SearchQuery = z.object({
  q: z.string({ error: 'cần nội dung tìm kiếm (q)' }).trim().min(1, 'cần nội dung tìm kiếm (q)').max(300, 'q tối đa 300 ký tự'),
  limit: z.coerce.number({ error: LIMIT_MESSAGE }).int(LIMIT_MESSAGE).min(1, LIMIT_MESSAGE).max(50, LIMIT_MESSAGE).default(10),
});
const SearchResponse = z.object({
  query: z.string(),
  results: z.array(z.object({ code: z.string(), name: z.string(), field: z.string(), agency: z.string(), score: z.number() })),
});
const CodeParams = z.object({ code: ProcedureCode });
const LocalDateString = z.string().refine(isValidLocalDate, 'ngày phải có dạng YYYY-MM-DD và có thật');
// One rule for names over REST and in the chat (src/domain/text/person-name.ts).
const Name = z.string().transform((s, ctx) => {
  const checked = checkPersonName(s);
  if (checked.ok) return checked.name;
  ctx.addIssue({ code: 'custom', message: checked.message });
  return z.NEVER;
});
const Text = (max: number) => z.string().trim().min(1).max(max).transform((s) => s.normalize('NFC'));

const BranchQuery = z.object({
  near: z
    .string()
    .regex(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/, 'near phải có dạng <vĩ độ>,<kinh độ>, ví dụ 21.0285,105.8542')
    .transform((s) => {
      const [lat, lon] = s.split(',').map(Number);
      return { lat, lon };
    })
    .refine((p) => Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180, 'tọa độ ngoài phạm vi')
    .optional(),
});
const SlotQuery = z.object({
  branch: z.string().min(1, 'cần mã chi nhánh (branch)').max(60),
  procedure: ProcedureCode,
  date: LocalDateString,
});
const PublicBookingSchema = z.object({
  code: z.string(),
  status: z.enum(['confirmed', 'cancelled', 'checked_in']),
  procedureCode: z.string(),
  procedureName: z.string(),
  branchId: z.string(),
  branchName: z.string(),
  start: z.string(),
  date: z.string(),
  name: z.string(),
  phone: z.string(),
  priority: z.boolean(),
});
const BookingBody = z.object({
  procedureCode: ProcedureCode,
  branchId: z.string().min(1).max(60),
  start: z.iso.datetime({ offset: true, error: 'start phải là thời điểm ISO 8601, ví dụ 2026-11-23T08:00:00+07:00' }),
  name: Name,
  phone: PhoneNumber,
  age: z.number().int().min(0).max(130).optional(),
  idempotencyKey: z.string().min(8).max(100).optional(),
});
const BookingOwner = z.object({ phone: PhoneNumber });
const BookingParams = z.object({ code: BookingCode });

/**
 * The public catalogue, the same for everyone: the only answers a browser or proxy may keep. Every
 * other one may carry personal data (dossiers, bookings, waitlist, officer routes, Direct Line tokens
 * and activities, checklists) or changes by the second (slots, health).
 */
const PUBLIC_CATALOGUE = /^\/api\/(procedures(\/|$)|branches$|openapi\.json$)/;

/**
 * Headers on every response, errors included: no content sniffing, no address (dossier codes,
 * checklist ids) leaked in a Referer, and no-store wherever personal data may be. Pages and scripts
 * set their own Cache-Control over this.
 */
export function responseHeaders(path: string): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    ...(PUBLIC_CATALOGUE.test(path) ? {} : { 'Cache-Control': 'no-store' }),
  };
}

/** Routes whose signature is computed over the body exactly as sent: no Content-Encoding is decoded there. */
const SIGNED_RAW_BODY_PATHS = new Set(['/api/zalo/webhook']);

/**
 * The HTTP server with what every route shares: body and query parsing with a size limit, and one
 * error shape for whatever restify itself refuses. Routes are added by registerApi and the channels.
 */
export function createBaseServer(deps: { maxBodyBytes: number; log: Logger; idleSocketMs?: number }): restify.Server {
  const { log } = deps;
  // No handleUncaughtExceptions: it wraps every request in a domain (async hooks on every promise, a
  // sevenfold slowdown). Async handlers' rejections reach 'restifyError' below as 500s instead.
  const server = restify.createServer({ name: 'motcua-assistant' });
  server.pre((req: restify.Request, res: restify.Response, next: restify.Next) => {
    for (const [name, value] of Object.entries(responseHeaders(req.path()))) res.header(name, value);
    return next();
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // Our own body reader, not restify's bodyParser (a broken gzip body killed the process): see body.ts.
  server.use(jsonBody({ maxBodyBytes: deps.maxBodyBytes, identityOnly: (path) => SIGNED_RAW_BODY_PATHS.has(path) }));
  // Slow or stuck clients cannot hold connections open for ever.
  server.server.headersTimeout = 10_000;
  server.server.requestTimeout = 30_000;
  server.server.keepAliveTimeout = 5_000;
  // A connection that sends nothing for this long (a half-sent request, an idle socket) is closed;
  // Node checks the header and request timeouts above only every 30 s. A connection whose request
  // arrived whole and is waiting for our answer is not: under load (or a slow store) the answer may
  // take longer, and closing it would lose the answer, not a stuck client.
  server.server.timeout = deps.idleSocketMs ?? 15_000;
  const inFlight = new WeakMap<object, { req: import('node:http').IncomingMessage; res: import('node:http').ServerResponse }>();
  server.server.on('request', (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    inFlight.set(req.socket, { req, res });
  });
  server.server.on('timeout', (socket: import('node:net').Socket) => {
    const current = inFlight.get(socket);
    // `complete`: the whole request was received; `writableEnded`: our answer was already sent.
    if (current && current.req.complete && !current.res.writableEnded) return;
    socket.destroy();
  });

  // Every restify error (unknown route, wrong method, oversize or malformed body, a store that does
  // not answer) gets our shape.
  server.on('restifyError', (req: restify.Request, res: restify.Response, err: any, callback: () => void) => {
    if (isStoreUnavailable(err) || isStoreUnavailable(err?.cause)) {
      log.warn('store unavailable', { requestId: req.id(), method: req.method, path: req.path(), error: err?.cause ?? err });
      res.header('Retry-After', String(RETRY_AFTER_SECONDS));
      err.statusCode = 503;
      err.toJSON = () => ({ error: { code: 'unavailable', message: UNAVAILABLE_MESSAGE } });
      return callback();
    }
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
            : status === 400
              ? 'Nội dung gửi lên không phải JSON hợp lệ.'
              : String(err.message ?? 'Yêu cầu không hợp lệ.');
    if (status >= 500) log.error('request failed', { requestId: req.id(), method: req.method, path: req.path(), error: err });
    else log.info('request rejected', { requestId: req.id(), method: req.method, path: req.path(), status });
    // Restify sends an error as it is only when it has a statusCode; a plain Error (a RangeError from a
    // handler) would be replaced by its own InternalError carrying the internal message.
    if (err instanceof Error) (err as { statusCode?: number }).statusCode = status;
    err.toJSON = () => ({ error: { code, message } });
    return callback();
  });
  return server;
}

/** The fees that apply on the day asked, for one filing method (src/domain/fees). */
const FeeInForceSchema = z.object({
  item: z.string(),
  amountVnd: z.number().nullable(),
  ruleId: z.string().nullable(),
  legalBasis: LegalBasis.nullable(),
  validUntil: z.string().nullable(),
  verified: z.boolean(),
});
const ExemptionSchema = z.object({ ruleId: z.string(), who: z.string(), legalBasis: LegalBasis, validUntil: z.string().nullable(), verified: z.boolean() }).nullable();
const FeesOnDaySchema = z.object({
  date: z.string(),
  method: z.enum(['direct', 'online', 'post']),
  fees: z.array(FeeInForceSchema),
  exemption: ExemptionSchema,
  nextChange: z.object({ date: z.string(), fees: z.array(FeeInForceSchema), exemption: ExemptionSchema }).nullable(),
});
const ProcedureTodaySchema = Procedure.extend({
  feesInForce: z.object({ direct: FeesOnDaySchema, online: FeesOnDaySchema, post: FeesOnDaySchema }),
});

/** The REST API (procedures, branches, bookings, dossiers, officers, feedback) on a base server. */
export function registerApi(server: restify.Server, deps: ServerDeps): void {
  const { store, catalog, availability, bookings, waitlist, dossiers, log } = deps;
  const router = new Router(server, store, log, deps.requestsPerMinute, deps.clientAddress);
  const DossierCode = z
    .string()
    .transform(normaliseDossierCode)
    .pipe(z.string().regex(deps.dossierCodePattern, 'mã hồ sơ không đúng định dạng in trên phiếu hẹn'));

  // Procedures
  router.add({
    method: 'get',
    path: '/api/procedures/search',
    tag: 'procedures',
    summary: 'Tìm thủ tục theo cách người dân gõ (không dấu, sai chính tả, viết tắt); rỗng khi không liên quan',
    query: SearchQuery,
    responses: { 200: { description: 'Kết quả, tốt nhất trước', schema: SearchResponse }, 400: { description: 'Tham số sai' } },
    handler: async ({ query }) => {
      const results = catalog.search(query.q, { limit: query.limit });
      if (results.length === 0) log.info('search found nothing', { query: query.q });
      return { status: 200, body: { query: query.q, results } };
    },
  });
  router.add({
    method: 'get',
    path: '/api/procedures/:code',
    tag: 'procedures',
    summary: 'Toàn bộ thông tin một thủ tục theo mã quốc gia',
    params: CodeParams,
    responses: { 200: { description: 'Thủ tục, với phí, lệ phí áp dụng hôm nay theo cách nộp (feesInForce)', schema: ProcedureTodaySchema }, 400: { description: 'Mã sai' }, 404: { description: 'Không có' } },
    handler: async ({ params }) => {
      const procedure = await catalog.get(params.code);
      if (!procedure) return { status: 404, body: { error: { code: 'not_found', message: `Không có thủ tục mã ${params.code}.` } } };
      return { status: 200, body: procedure };
    },
  });

  // Branches and slots
  router.add({
    method: 'get',
    path: '/api/branches',
    tag: 'booking',
    summary: 'Danh sách chi nhánh; gần nhất trước khi có vị trí (nộp ở chi nhánh nào cũng được)',
    query: BranchQuery,
    responses: { 200: { description: 'Chi nhánh', schema: z.object({ branches: z.array(Branch.extend({ distanceKm: z.number().nullable() })) }) } },
    handler: async ({ query }) => ({ status: 200, body: { branches: await availability.branches(query.near) } }),
  });
  router.add({
    method: 'get',
    path: '/api/slots',
    rateLimited: true,
    tag: 'booking',
    summary: 'Khung giờ còn chỗ của một chi nhánh cho một thủ tục trong một ngày',
    query: SlotQuery,
    responses: {
      200: {
        description: 'Khung giờ còn chỗ',
        schema: z.object({
          branch: z.object({ id: z.string(), name: z.string() }),
          procedure: z.object({ code: z.string(), name: z.string() }),
          date: z.string(),
          slots: z.array(z.object({ start: z.string(), time: z.string(), capacity: z.number(), remaining: z.number(), capacityKey: z.string() })),
        }),
      },
      400: { description: 'Ngày nghỉ, ngoài giờ, quá xa, quầy không phục vụ lĩnh vực' },
      404: { description: 'Không có chi nhánh hoặc thủ tục' },
    },
    handler: async ({ query }) => ({ status: 200, body: await availability.slots(query.branch, query.procedure, query.date) }),
  });

  // Bookings
  router.add({
    method: 'post',
    path: '/api/bookings',
    rateLimited: true,
    tag: 'booking',
    summary: 'Đặt lịch; cùng idempotencyKey không bao giờ đặt hai lần',
    body: BookingBody,
    responses: {
      201: { description: 'Đã đặt, kèm mã đặt lịch', schema: z.object({ booking: PublicBookingSchema }) },
      200: { description: 'Yêu cầu lặp lại (cùng idempotencyKey): lịch đã đặt', schema: z.object({ booking: PublicBookingSchema }) },
      400: { description: 'Giờ đã qua, ngày nghỉ, ngoài giờ, quầy không phục vụ, số điện thoại sai' },
      409: { description: 'Khung giờ đã kín, kèm gợi ý giờ khác và chi nhánh khác' },
      429: { description: 'Quá số lịch cho phép trong ngày' },
    },
    handler: async ({ body, clientId }) => {
      const { booking, replayed } = await bookings.book(body, clientId);
      if (!replayed) log.info('booking confirmed', { code: booking.code, branch: booking.branchId, start: booking.start });
      return { status: replayed ? 200 : 201, body: { booking } };
    },
  });
  router.add({
    method: 'post',
    path: '/api/bookings/:code/lookup',
    rateLimited: true,
    tag: 'booking',
    summary: 'Xem lịch hẹn bằng mã đặt lịch và số điện thoại',
    params: BookingParams,
    body: BookingOwner,
    responses: { 200: { description: 'Lịch hẹn', schema: z.object({ booking: PublicBookingSchema }) }, 404: { description: 'Không tìm thấy' } },
    handler: async ({ params, body, clientId }) => ({ status: 200, body: { booking: await bookings.get(params.code, body.phone, clientId) } }),
  });
  router.add({
    method: 'post',
    path: '/api/bookings/:code/cancel',
    rateLimited: true,
    tag: 'booking',
    summary: 'Hủy lịch bằng mã đặt lịch và số điện thoại; chỗ trống được trả lại ngay',
    params: BookingParams,
    body: BookingOwner,
    responses: { 200: { description: 'Đã hủy', schema: z.object({ booking: PublicBookingSchema }) }, 404: { description: 'Không tìm thấy' }, 409: { description: 'Đã hủy hoặc đã làm thủ tục' } },
    handler: async ({ params, body, clientId }) => ({ status: 200, body: { booking: await bookings.cancel(params.code, body.phone, clientId) } }),
  });
  router.add({
    method: 'post',
    path: '/api/bookings/:code/reschedule',
    rateLimited: true,
    tag: 'booking',
    summary: 'Đổi giờ hẹn bằng mã đặt lịch và số điện thoại',
    params: BookingParams,
    body: BookingOwner.extend({ start: BookingBody.shape.start }),
    responses: { 200: { description: 'Đã đổi', schema: z.object({ booking: PublicBookingSchema }) }, 409: { description: 'Khung giờ mới đã kín' } },
    handler: async ({ params, body, clientId }) => ({ status: 200, body: { booking: await bookings.reschedule(params.code, body.phone, body.start, clientId) } }),
  });

  router.add({
    method: 'post',
    path: '/api/waitlist',
    rateLimited: true,
    tag: 'booking',
    summary: 'Vào danh sách chờ của một khung giờ đã kín; khi có chỗ, người đầu tiên được giữ chỗ và báo tin',
    body: BookingBody.omit({ idempotencyKey: true, age: true }).extend({
      notify: z.object({ channel: z.enum(['zalo', 'webchat', 'sms']), address: z.string().min(1).max(200) }).nullable().default(null),
    }),
    responses: {
      201: { description: 'Đã vào danh sách chờ, kèm vị trí', schema: z.object({ waitlist: z.object({ id: z.string(), start: z.string(), branchId: z.string(), status: z.string(), position: z.number() }) }) },
      409: { description: 'Khung giờ còn chỗ, hoặc đã đăng ký chờ' },
    },
    handler: async ({ body, clientId }) => ({ status: 201, body: { waitlist: await waitlist.join(body, clientId) } }),
  });
  router.add({
    method: 'post',
    path: '/api/waitlist/:id/claim',
    rateLimited: true,
    tag: 'booking',
    summary: 'Nhận chỗ đang được giữ cho mình (trong thời gian giữ chỗ)',
    params: z.object({ id: z.string().uuid('mã chờ không hợp lệ') }),
    body: BookingOwner,
    responses: { 201: { description: 'Đã đặt', schema: z.object({ booking: PublicBookingSchema }) }, 409: { description: 'Chưa có chỗ hoặc đã hết thời gian giữ' } },
    handler: async ({ params, body }) => ({ status: 201, body: { booking: await waitlist.claim(params.id, body.phone) } }),
  });

  // Dossier status (citizens)
  router.add({
    method: 'post',
    path: '/api/dossiers/:code/status',
    rateLimited: true,
    tag: 'dossiers',
    summary: 'Tra cứu hồ sơ: mã hồ sơ và 4 số cuối điện thoại hoặc CCCD của người nộp',
    params: z.object({ code: DossierCode }),
    body: z.object({ proof: z.string().regex(/^\d{4}$/, 'proof là 4 số cuối điện thoại hoặc CCCD') }),
    responses: {
      200: { description: 'Trạng thái, tiến trình, hạn trả, giấy tờ cần bổ sung, thư xin lỗi nếu trễ' },
      404: { description: 'Không khớp (không tiết lộ mã có tồn tại hay không)' },
      429: { description: 'Xác minh sai quá nhiều lần' },
    },
    handler: async ({ params, body, clientId }) => ({ status: 200, body: { dossier: await dossiers.lookup(params.code, body.proof, clientId) } }),
  });
  router.add({
    method: 'get',
    path: '/api/dossiers/:code',
    rateLimited: true,
    tag: 'dossiers',
    summary: 'Tra cứu hồ sơ (GET): mã hồ sơ và ?proof=4 số cuối điện thoại hoặc CCCD',
    params: z.object({ code: DossierCode }),
    query: z.object({ proof: z.string({ error: 'cần proof: 4 số cuối điện thoại hoặc CCCD' }).regex(/^\d{4}$/, 'proof là 4 số cuối điện thoại hoặc CCCD') }),
    responses: { 200: { description: 'Trạng thái hồ sơ' }, 404: { description: 'Không khớp' }, 429: { description: 'Quá nhiều lần sai' } },
    handler: async ({ params, query, clientId }) => ({ status: 200, body: { dossier: await dossiers.lookup(params.code, query.proof, clientId) } }),
  });

  // Operations: what a maintainer watches (memory over a long run, event-loop delay).
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  const Megabytes = z.number().describe('MB');
  router.add({
    method: 'get',
    path: '/api/admin/metrics',
    tag: 'admin',
    auth: 'admin',
    summary: 'Tình trạng tiến trình: bộ nhớ (MB), thời gian chạy, độ trễ vòng sự kiện (quản trị viên)',
    // gc=1 reads the live heap after a full collection, when node runs with --expose-gc (benchmarks).
    query: z.object({ gc: z.enum(['0', '1']).default('0') }),
    responses: {
      200: {
        description: 'Số đo',
        schema: z.object({
          uptimeSeconds: z.number(),
          memory: z.object({ rss: Megabytes, heapUsed: Megabytes, heapTotal: Megabytes, external: Megabytes }),
          eventLoopDelayMs: z.object({ p50: z.number(), p99: z.number(), max: z.number() }),
          store: z.string(),
          collected: z.boolean().describe('whether the heap was collected first'),
        }),
      },
      401: { description: 'Thiếu mã quản trị' },
    },
    handler: async ({ query }) => {
      const collect = (globalThis as { gc?: () => void }).gc;
      if (query.gc === '1' && collect) collect();
      const m = process.memoryUsage();
      const mb = (n: number) => Math.round((n / 1_048_576) * 10) / 10;
      const ms = (ns: number) => Math.round(ns / 1e5) / 10;
      const body = {
        uptimeSeconds: Math.round(process.uptime()),
        memory: { rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external) },
        // Since the previous reading.
        eventLoopDelayMs: { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) },
        store: store.kind,
        collected: query.gc === '1' && collect !== undefined,
      };
      loopDelay.reset();
      return { status: 200, body };
    },
  });

  // Officers
  const officerName = (o: { name: string } | null) => o?.name ?? 'officer';
  router.add({
    method: 'post',
    path: '/api/officer/dossiers',
    tag: 'officer',
    auth: 'officer',
    summary: 'Tạo hồ sơ (tiếp nhận); hạn trả tính theo ngày làm việc',
    body: z.object({
      code: DossierCode.optional(),
      procedureCode: ProcedureCode,
      branchId: z.string().min(1).max(60),
      applicant: z.object({
        name: Name,
        phone: PhoneNumber,
        idNumber: z.string().regex(/^\d{9}$|^\d{12}$/, 'số CCCD/CMND gồm 12 (hoặc 9) chữ số'),
        notify: z.object({ channel: z.enum(['zalo', 'webchat', 'sms']), address: z.string().min(1).max(200) }).nullable().default(null),
      }),
      receivedDate: LocalDateString.optional(),
      processingDays: z.number().positive().max(365).optional(),
    }),
    responses: { 201: { description: 'Hồ sơ', schema: Dossier }, 401: { description: 'Thiếu mã cán bộ' }, 409: { description: 'Trùng mã' } },
    handler: async ({ body, officer }) => ({ status: 201, body: await dossiers.create(body, officerName(officer)) }),
  });
  router.add({
    method: 'get',
    path: '/api/officer/dossiers/:code',
    tag: 'officer',
    auth: 'officer',
    summary: 'Toàn bộ hồ sơ (cán bộ)',
    params: z.object({ code: DossierCode }),
    responses: { 200: { description: 'Hồ sơ', schema: Dossier }, 404: { description: 'Không có' } },
    handler: async ({ params }) => ({ status: 200, body: await dossiers.officerGet(params.code) }),
  });
  router.add({
    method: 'post',
    path: '/api/officer/dossiers/:code/events',
    tag: 'officer',
    auth: 'officer',
    summary: 'Ghi một bước xử lý (đang giải quyết, có kết quả, đã trả, từ chối)',
    params: z.object({ code: DossierCode }),
    body: z.object({ status: DossierStatus, note: Text(500) }),
    responses: { 200: { description: 'Hồ sơ', schema: Dossier } },
    handler: async ({ params, body, officer }) => ({ status: 200, body: await dossiers.addEvent(params.code, body.status, body.note, officerName(officer)) }),
  });
  router.add({
    method: 'post',
    path: '/api/officer/dossiers/:code/supplements',
    tag: 'officer',
    auth: 'officer',
    summary: 'Yêu cầu bổ sung hồ sơ (giấy tờ nào, vì sao); người dân được báo',
    params: z.object({ code: DossierCode }),
    body: z.object({ documents: z.array(Text(300)).min(1).max(20), reason: Text(500) }),
    responses: { 200: { description: 'Hồ sơ', schema: Dossier } },
    handler: async ({ params, body, officer }) => ({
      status: 200,
      body: await dossiers.requestSupplement(params.code, body.documents, body.reason, officerName(officer)),
    }),
  });
  router.add({
    method: 'post',
    path: '/api/officer/dossiers/:code/late',
    tag: 'officer',
    auth: 'officer',
    summary: 'Báo trễ hẹn: lý do và ngày hẹn mới; tạo thư xin lỗi và báo người dân',
    params: z.object({ code: DossierCode }),
    body: z.object({ reason: Text(500), newDueDate: LocalDateString }),
    responses: { 200: { description: 'Hồ sơ', schema: Dossier } },
    handler: async ({ params, body, officer }) => ({ status: 200, body: await dossiers.markLate(params.code, body.reason, body.newDueDate, officerName(officer)) }),
  });
  router.add({
    method: 'get',
    path: '/api/officer/bookings',
    tag: 'officer',
    auth: 'officer',
    summary: 'Lịch hẹn của một chi nhánh trong ngày (ưu tiên trước trong mỗi khung giờ)',
    query: z.object({ branch: z.string().min(1).max(60), date: LocalDateString }),
    responses: { 200: { description: 'Lịch hẹn' } },
    handler: async ({ query }) => ({ status: 200, body: { bookings: await bookings.dayList(query.branch, query.date) } }),
  });
  router.add({
    method: 'post',
    path: '/api/officer/bookings/:code/check-in',
    tag: 'officer',
    auth: 'officer',
    summary: 'Xác nhận người dân đã đến quầy',
    params: BookingParams,
    responses: { 200: { description: 'Lịch hẹn', schema: z.object({ booking: PublicBookingSchema }) }, 409: { description: 'Đã hủy hoặc đã xác nhận' } },
    handler: async ({ params }) => ({ status: 200, body: { booking: await bookings.checkIn(params.code) } }),
  });

  router.add({
    method: 'get',
    path: '/api/officer/no-shows',
    tag: 'officer',
    auth: 'officer',
    summary: 'Số lần một số điện thoại đặt lịch mà không đến (trong thời gian NO_SHOW_WINDOW_DAYS)',
    query: z.object({ phone: PhoneNumber }),
    responses: { 200: { description: 'Số lần không đến', schema: z.object({ phone: z.string(), noShows: z.number() }) } },
    handler: async ({ query }) => ({ status: 200, body: { phone: query.phone, noShows: await bookings.noShowCount(query.phone) } }),
  });
  router.add({
    method: 'get',
    path: '/api/officer/feedback',
    tag: 'officer',
    auth: 'officer',
    summary: 'Câu hỏi chưa trả lời được, đánh giá, phản ánh và yêu cầu gặp cán bộ, mới nhất trước',
    query: z.object({
      kind: z.enum(['rating', 'complaint', 'handover', 'unanswered']).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    responses: {
      200: {
        description: 'Mục phản hồi',
        schema: z.object({
          items: z.array(
            z.object({ reference: z.string(), kind: z.string(), text: z.string(), rating: z.number().nullable(), channel: z.string(), userId: z.string(), createdAt: z.string() }),
          ),
        }),
      },
    },
    handler: async ({ query }) => ({ status: 200, body: { items: await deps.feedback.list(query.kind ?? null, query.limit) } }),
  });

  registerOfficerTokenRoutes(router, { store, tokenDays: deps.officerTokenDays ?? 90 });

  const openApi = router.openApi({ title: 'Một Cửa Assistant REST API', version: '0.1.0' });
  server.get('/api/openapi.json', async (_req: restify.Request, res: restify.Response) => {
    res.send(200, openApi);
  });

}

