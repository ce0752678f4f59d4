import { openEmbeddedStore } from './embedded/embedded-store';
import { openMongoStore } from './mongo/mongo-store';
import type { Store } from './types';

/** MongoDB when a URI is configured, the embedded file store otherwise. */
export function openStore(config: { mongodbUri?: string; dataDir: string }): Promise<Store> {
  return config.mongodbUri ? openMongoStore(config.mongodbUri) : openEmbeddedStore(config.dataDir);
}
