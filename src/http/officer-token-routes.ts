/**
 * Officer tokens managed while the server runs (admin role only): list, create, revoke. The command
 * line (`npm run officer:token`) uses these routes when it is given the server's address, because the
 * embedded store can be opened by one process at a time.
 */
import { z } from 'zod';
import { createOfficerToken, describeToken, revokeOfficerToken } from '../services/officer-auth';
import type { Store } from '../store/types';
import type { Router } from './router';

const TokenView = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['officer', 'admin']),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  active: z.boolean(),
});

export function registerOfficerTokenRoutes(router: Router, deps: { store: Store; tokenDays: number }): void {
  const { store } = deps;
  const TokenId = z.object({ id: z.string().uuid('định danh mã truy cập không đúng') });

  router.add({
    method: 'get',
    path: '/api/admin/officer-tokens',
    tag: 'admin',
    auth: 'admin',
    summary: 'Danh sách mã truy cập cán bộ (không bao giờ có mã bí mật), mới nhất trước (quản trị viên)',
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
    responses: { 200: { description: 'Các mã', schema: z.object({ tokens: z.array(TokenView) }) }, 401: { description: 'Thiếu mã quản trị' } },
    handler: async ({ query }) => {
      const now = new Date();
      return { status: 200, body: { tokens: (await store.tokens.list(query.limit)).map((t) => describeToken(t, now)) } };
    },
  });

  router.add({
    method: 'post',
    path: '/api/admin/officer-tokens',
    tag: 'admin',
    auth: 'admin',
    summary: 'Tạo mã truy cập cán bộ; mã bí mật chỉ trả về một lần (quản trị viên)',
    body: z.object({
      name: z.string({ error: 'cần họ tên cán bộ (name)' }).trim().min(1, 'cần họ tên cán bộ (name)').max(100, 'name tối đa 100 ký tự'),
      role: z.enum(['officer', 'admin'], { error: 'role là officer hoặc admin' }).default('officer'),
      days: z.number({ error: 'days là số ngày hiệu lực' }).int('days là số nguyên').min(1, 'days từ 1 đến 3650').max(3650, 'days từ 1 đến 3650').optional(),
    }),
    responses: {
      201: { description: 'Mã đã tạo', schema: z.object({ secret: z.string(), token: TokenView }) },
      400: { description: 'Tham số sai' },
      401: { description: 'Thiếu mã quản trị' },
      403: { description: 'Không phải quản trị viên' },
    },
    handler: async ({ body }) => {
      const now = new Date();
      const { secret, token } = await createOfficerToken(store, body.name.normalize('NFC'), body.role, now, body.days ?? deps.tokenDays);
      return { status: 201, body: { secret, token: describeToken(token, now) } };
    },
  });

  const revoke = async ({ params }: { params: { id: string } }) => {
    const now = new Date();
    return { status: 200, body: { token: describeToken(await revokeOfficerToken(store, params.id, now), now) } };
  };
  const revokeResponses = {
    200: { description: 'Mã đã thu hồi (thu hồi lại không đổi thời điểm)', schema: z.object({ token: TokenView }) },
    401: { description: 'Thiếu mã quản trị' },
    403: { description: 'Không phải quản trị viên' },
    404: { description: 'Không có mã này' },
  };
  router.add({
    method: 'delete',
    path: '/api/admin/officer-tokens/:id',
    tag: 'admin',
    auth: 'admin',
    summary: 'Thu hồi mã truy cập cán bộ ngay lập tức (quản trị viên)',
    params: TokenId,
    responses: revokeResponses,
    handler: revoke,
  });
  router.add({
    method: 'post',
    path: '/api/admin/officer-tokens/:id/revoke',
    tag: 'admin',
    auth: 'admin',
    summary: 'Thu hồi mã truy cập cán bộ (như DELETE, cho công cụ chỉ gửi được POST)',
    params: TokenId,
    responses: revokeResponses,
    handler: revoke,
  });
}
