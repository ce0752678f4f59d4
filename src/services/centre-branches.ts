/**
 * A province-wide MongoDB holds the branches of every centre that shares it. Each centre's branch ids
 * carry its prefix (checked at import, see knowledge/schemas.ts `Centre`), and the services of one
 * centre read the store through this view: they list, book and look up only their own branches, and
 * bookings, slots and counters (keyed by branch id) stay apart with them.
 */
import { ownsBranch, type CentreProfile } from '../domain/centre/centre';
import type { BranchRepository, Store } from '../store/types';

export function centreBranches(branches: BranchRepository, centre: CentreProfile): BranchRepository {
  return {
    upsertMany: (list) => branches.upsertMany(list),
    get: async (id) => (ownsBranch(centre, id) ? branches.get(id) : null),
    list: async () => (await branches.list()).filter((b) => ownsBranch(centre, b.id)),
  };
}

/** The store as one centre's services see it (everything else is the store itself). */
export function centreStore(store: Store, centre: CentreProfile): Store {
  if (!centre.branchIdPrefix) return store;
  const branches = centreBranches(store.branches, centre);
  return new Proxy(store, { get: (target, key) => (key === 'branches' ? branches : Reflect.get(target, key, target)) });
}
