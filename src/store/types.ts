/**
 * The repository interface every store implements (embedded file store, MongoDB). Services and the
 * HTTP layer depend on this only; the contract test suite runs the same assertions on every store.
 */
import type { Branch, Procedure, ProcedureSummary } from '../../knowledge/schemas';

export interface UpsertReport {
  inserted: number;
  updated: number;
}

export interface ProcedureRepository {
  /** Inserts or replaces by official code; running it twice with the same records changes nothing. */
  upsertMany(procedures: readonly Procedure[]): Promise<UpsertReport>;
  get(code: string): Promise<Procedure | null>;
  /** What the search index needs of every procedure. */
  summaries(): Promise<ProcedureSummary[]>;
  count(): Promise<number>;
}

export interface BranchRepository {
  upsertMany(branches: readonly Branch[]): Promise<UpsertReport>;
  get(id: string): Promise<Branch | null>;
  list(): Promise<Branch[]>;
}

/** Small named values: the knowledge version imported, and later settings shared by processes. */
export interface MetaRepository {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

export interface Store {
  readonly kind: 'embedded' | 'mongodb';
  readonly procedures: ProcedureRepository;
  readonly branches: BranchRepository;
  readonly meta: MetaRepository;
  /** Resolves when the store answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const SUMMARY_FIELDS = ['code', 'name', 'aliases', 'field', 'agency', 'scope', 'detail', 'popularity', 'levels'] as const;

export class StoreLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `Thư mục dữ liệu ${dir} đang được tiến trình ${pid} sử dụng. ` +
        'Chỉ một tiến trình được mở kho dữ liệu nhúng; hãy dừng tiến trình kia hoặc dùng MONGODB_URI để chạy nhiều tiến trình.',
    );
    this.name = 'StoreLockedError';
  }
}
