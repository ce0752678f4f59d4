/**
 * Telling "the store does not answer" (MongoDB down, the data directory gone or full) apart from a
 * bug, so that users get a polite "temporarily unavailable" and /healthz says why, not a 500.
 */
export const UNAVAILABLE_MESSAGE = 'Hệ thống tạm thời gián đoạn. Xin ông/bà vui lòng thử lại sau ít phút.';
export const RETRY_AFTER_SECONDS = 10;

export class StoreUnavailableError extends Error {
  constructor(message = 'the store is not connected') {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

const MONGO_CONNECTIVITY = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);
// A data directory that cannot be created, written or grown.
const FILE_SYSTEM = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EIO', 'ENOTDIR']);

export function isStoreUnavailable(error: unknown): boolean {
  for (let e = error as { name?: string; code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.name === 'StoreUnavailableError' || MONGO_CONNECTIVITY.has(e.name ?? '')) return true;
    if (typeof e.code === 'string' && FILE_SYSTEM.has(e.code)) return true;
  }
  return false;
}
