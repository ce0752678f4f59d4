import type { Store } from './types';

/**
 * MongoDB when a URI is configured, the embedded file store otherwise. Each store's module is loaded
 * only when it is the one opened: the MongoDB driver alone adds some 5 MB of heap and reserves a
 * 17 MB serialisation buffer, of no use to a server on the embedded store (and NeDB none to one on
 * MongoDB).
 */
// require, not import(): the sources also run under tsx, where import() would resolve as ESM.
export function openStore(config: { mongodbUri?: string; dataDir: string }): Promise<Store> {
  if (config.mongodbUri) return (require('./mongo/mongo-store') as typeof import('./mongo/mongo-store')).openMongoStore(config.mongodbUri);
  return (require('./embedded/embedded-store') as typeof import('./embedded/embedded-store')).openEmbeddedStore(config.dataDir);
}
