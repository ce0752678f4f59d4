/**
 * Composition root: config → store → knowledge seed → services → HTTP server. index.ts runs it; tests
 * start it on a free port with their own config.
 */
import type { Server } from 'restify';
import type { Config } from './config';
import { createServer } from './http/server';
import type { Logger } from './logger';
import { Holiday } from '../knowledge/schemas';
import { systemClock, type Clock } from './domain/calendar/clock';
import { WorkingCalendar } from './domain/calendar/working-days';
import { BookingService } from './services/booking-service';
import { DossierService } from './services/dossier-service';
import { HOLIDAYS_KEY, seedIfNeeded } from './services/knowledge-import';
import { ProcedureCatalog } from './services/procedure-search';
import { seedSampleDossiers } from './services/sample-data';
import { openStore } from './store/open-store';
import type { Store } from './store/types';

export interface App {
  server: Server;
  store: Store;
  catalog: ProcedureCatalog;
  bookings: BookingService;
  dossiers: DossierService;
  /** The address actually bound (the port differs from config when config.port is 0). */
  url: string;
  stop(): Promise<void>;
}

export async function startApp(config: Config, log: Logger, clock: Clock = systemClock): Promise<App> {
  const store = await openStore(config);
  try {
    const seeded = await seedIfNeeded(store, config.knowledgeDir);
    if (seeded && !seeded.ok) {
      throw new Error(
        'Dữ liệu tri thức không hợp lệ: ' + seeded.errors.slice(0, 5).map((e) => `${e.file} ${e.path}: ${e.reason}`).join('; '),
      );
    }
    if (seeded?.ok) log.info('knowledge imported', { procedures: seeded.procedures, branches: seeded.branches, version: seeded.hash });
    const catalog = await ProcedureCatalog.open(store);
    const calendar = new WorkingCalendar(Holiday.array().parse((await store.meta.get(HOLIDAYS_KEY)) ?? []));
    const bookings = new BookingService(store, calendar, clock, {
      perClientPerDay: config.bookingsPerClientPerDay,
      waitlistHoldMinutes: config.waitlistHoldMinutes,
    });
    // Holds nobody claimed pass to the next person; every process may sweep (transitions are atomic).
    const sweeper = setInterval(() => {
      bookings.sweepWaitlist().catch((error) => log.warn('waitlist sweep failed', { error }));
    }, 30_000);
    sweeper.unref();
    const dossiers = new DossierService(store, calendar, clock, config.lookup, config.dossierCodePrefix);
    const samples = await seedSampleDossiers(store, dossiers, calendar, clock, config.knowledgeDir);
    if (samples > 0) log.info('sample dossiers created', { count: samples });
    const server = createServer({
      store,
      catalog,
      bookings,
      dossiers,
      log,
      maxBodyBytes: config.maxBodyBytes,
      dossierCodePattern: config.dossierCodePattern,
      requestsPerMinute: config.requestsPerMinute,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    const address = server.address();
    const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${address.port}`;
    log.info('server listening', { url, store: store.kind, procedures: catalog.size });
    return {
      server,
      store,
      catalog,
      bookings,
      dossiers,
      url,
      stop: async () => {
        clearInterval(sweeper);
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
