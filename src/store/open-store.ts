import type { Store } from './types';

/**
 * MongoDB when a URI is configured, the embedded file store otherwise. Each store's module is loaded
 * only when it is the one opened: the MongoDB driver alone adds some 5 MB of heap and reserves a
 * 17 MB serialisation buffer, of no use to a server on the embedded store (and NeDB none to one on
 * MongoDB).
 */
export async function openStore(config: { mongodbUri?: string; dataDir: string }): Promise<Store> {
  if (config.mongodbUri) return (await import('./mongo/mongo-store')).openMongoStore(config.mongodbUri);
  return (await import('./embedded/embedded-store')).openEmbeddedStore(config.dataDir);
}
