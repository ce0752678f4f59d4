import type { Response } from 'restify';
import type { ZodError } from 'zod';

/** The one error shape of the REST API. */
export interface ApiError {
  error: {
    code: string;
    message: string;
    fields?: { path: string; message: string }[];
  };
}

export function sendError(
  res: Response,
  status: number,
  code: string,
  message: string,
  fields?: ApiError['error']['fields'],
): void {
  res.send(status, { error: { code, message, ...(fields ? { fields } : {}) } } satisfies ApiError);
}

export function sendValidationError(res: Response, error: ZodError): void {
  const fields = error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  sendError(res, 400, 'bad_request', 'Tham số không hợp lệ: ' + fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields);
}
