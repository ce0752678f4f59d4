/**
 * Request bodies, read by us instead of restify's bodyParser: its gunzip stream has no 'error'
 * listener (restify issue #1975), so one POST with `Content-Encoding: gzip` and a body that is not
 * gzip killed the process, and its size limit counted compressed bytes, so a 58 KB gzip bomb became a
 * 60 MB body. Here the limit holds on the bytes received AND on the decoded bytes (inflating stops at
 * the limit), only JSON is accepted, and its nesting depth is bounded before it is parsed, so no later
 * recursive code (validation, storage, the bot) can run out of stack on it.
 */
import { gunzip, inflate, type InputType, type ZlibOptions } from 'node:zlib';
import type * as restify from 'restify';
import { sendError } from './errors';

/** Deeper than any activity, card submission or API body we take; 5,000 levels overflowed the stack. */
export const MAX_JSON_DEPTH = 32;

export type ContentCoding = 'identity' | 'gzip' | 'deflate';

/** The single coding of a Content-Encoding header, or null when we do not decode it (br, compress, stacked codings). */
export function contentCoding(header: string | undefined): ContentCoding | null {
  const codings = (header ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return 'identity';
  if (codings.length > 1) return null;
  if (codings[0] === 'gzip' || codings[0] === 'x-gzip') return 'gzip';
  if (codings[0] === 'deflate') return 'deflate';
  return null;
}

/** Whether JSON text nests objects and arrays deeper than `max`: one pass, no recursion, strings skipped. */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return false;
}

/** application/json or any `+json` type, in UTF-8 (the only charset JSON allows on the wire). */
function isJson(contentType: string | undefined): boolean {
  const [type, ...params] = (contentType ?? '').split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) return false;
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
  return charset === undefined || charset === 'utf-8' || charset === 'utf8' || charset === 'us-ascii';
}

function decode(coding: ContentCoding, raw: Buffer, maxOutputLength: number): Promise<Buffer> {
  if (coding === 'identity') return Promise.resolve(raw);
  const run = coding === 'gzip' ? gunzip : inflate;
  // maxOutputLength makes zlib stop inflating (and fail) as soon as the output passes the limit.
  return new Promise((resolve, reject) =>
    run(raw as InputType, { maxOutputLength } as ZlibOptions, (error, out) => (error ? reject(error) : resolve(out))),
  );
}

export interface BodyOptions {
  maxBodyBytes: number;
  maxDepth?: number;
  /**
   * Routes that must see the body exactly as sent (a signature over the raw bytes): any
   * Content-Encoding there is refused instead of decoded.
   */
  identityOnly?: (path: string) => boolean;
}

/** Restify handler reading, decoding and parsing a JSON body into req.body (and the text into req.rawBody). */
export function jsonBody(options: BodyOptions): restify.RequestHandler {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  return (req: restify.Request, res: restify.Response, next: restify.Next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const coding = contentCoding(req.header('content-encoding'));
    const identityOnly = options.identityOnly?.(req.path()) ?? false;
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const refuse = (status: number, code: string, message: string) => {
      settled = true;
      sendError(res, status, code, message);
      next(false);
    };
    // A client that goes away mid-body leaves nothing to answer; the error must still be listened to.
    req.on('error', () => {
      settled = true;
    });
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      // Past the limit the rest is read and dropped, so the client still gets its 413.
      if (received <= options.maxBodyBytes) chunks.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      if (received > options.maxBodyBytes) return refuse(413, 'payload_too_large', 'Nội dung gửi lên quá lớn.');
      if (received === 0) return next();
      if (coding === null || (identityOnly && coding !== 'identity')) {
        res.header('Accept-Encoding', identityOnly ? 'identity' : 'gzip, deflate');
        return refuse(415, 'unsupported_encoding', 'Không nhận nội dung nén theo cách này (Content-Encoding); xin gửi không nén hoặc nén gzip.');
      }
      if (!isJson(req.header('content-type'))) {
        return refuse(415, 'unsupported_media_type', 'Chỉ nhận nội dung JSON (Content-Type: application/json, UTF-8).');
      }
      decode(coding, Buffer.concat(chunks), options.maxBodyBytes).then(
        (bytes) => {
          if (settled) return;
          const text = bytes.toString('utf8');
          if (jsonDepthExceeds(text, maxDepth)) return refuse(400, 'bad_request', `Nội dung JSON lồng nhau quá sâu (tối đa ${maxDepth} tầng).`);
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            return refuse(400, 'bad_request', 'Nội dung gửi lên không phải JSON hợp lệ.');
          }
          req.body = body;
          (req as { rawBody?: string }).rawBody = text;
          next();
        },
        (error: NodeJS.ErrnoException) => {
          if (settled) return;
          if (error.code === 'ERR_BUFFER_TOO_LARGE') return refuse(413, 'payload_too_large', 'Nội dung gửi lên quá lớn sau khi giải nén.');
          refuse(400, 'bad_encoding', 'Nội dung nén bị lỗi hoặc không đúng Content-Encoding đã khai.');
        },
      );
    });
  };
}
