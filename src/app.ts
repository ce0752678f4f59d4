/**
 * Composition root: HTTP server → store → knowledge seed → services → routes. index.ts runs it; tests
 * start it on a free port with their own config. The server listens before the store answers: while
 * it does not (MongoDB down, data directory unusable), /healthz says so, the API answers 503 with a
 * polite message, the bot apologises, and the store is tried again until it answers.
 */
import type { Next, Request, Response, Server } from 'restify';
import type { Config } from './config';
import { createBaseServer, registerApi } from './http/server';
import { clientAddressResolver } from './http/client-address';
import type { Logger } from './logger';
import { ConversationState, UserState, type TurnContext } from 'botbuilder';
import { Holiday, IntentExamples, type Centre } from '../knowledge/schemas';
import type { DialogServices, OfficerSession, Profile } from '../dialogs/dialogServices';
import { MainDialog } from '../dialogs/mainDialog';
import { AssistantBot } from '../bots/assistantBot';
import { IntentRecognizer } from './bot/recognizer';
import { StoreStorage, isStateConflict } from './bot/store-storage';
import { retryOnStateConflict } from './channels/turn-queue';
import type { ActivityStreams } from './channels/directline/directline-stream';
import { registerBotFramework } from './channels/botframework';
import { DirectLineAdapter } from './channels/directline/directline-adapter';
import { DirectLineTokens, directLineSecret, registerDirectLine } from './channels/directline/directline-routes';
import { deliverWebChatNotifications } from './channels/directline/notifications';
import { registerChecklistPage, registerWebChatPage } from './channels/webchat/webchat-routes';
import { ZaloAdapter } from './channels/zalo/zalo-adapter';
import { ZaloClient } from './channels/zalo/zalo-client';
import { deliverZaloNotifications, registerZalo } from './channels/zalo/zalo-routes';
import { ChecklistService } from './services/checklist-service';
import { FeedbackService } from './services/feedback-service';
import { authenticate } from './services/officer-auth';
import { systemClock, type Clock } from './domain/calendar/clock';
import { WorkingCalendar } from './domain/calendar/working-days';
import { AvailabilityService } from './services/availability-service';
import { BookingService } from './services/booking-service';
import type { BookingRules } from './services/booking-rules';
import { WaitlistService } from './services/waitlist-service';
import { ReminderService } from './services/reminder-service';
import { DossierService } from './services/dossier-service';
import { HOLIDAYS_KEY, INTENTS_KEY, seedIfNeeded } from './services/knowledge-import';
import { centreProfile, receptionRefusal, type CentreProfile } from './domain/centre/centre';
import { preferCentreProvince, type Promulgation } from './domain/centre/scope';
import { centreStore } from './services/centre-branches';
import { loadCentreOf } from './knowledge-base/load';
import { CAN_SEED_IN_WORKER, seedInWorker } from './knowledge-base/seed-in-worker';
import { ProcedureCatalog } from './services/procedure-search';
import { seedSampleDossiers } from './services/sample-data';
import { openStore } from './store/open-store';
import type { Store } from './store/types';
import { RETRY_AFTER_SECONDS, UNAVAILABLE_MESSAGE, isStoreUnavailable } from './store/availability';

export interface App {
  server: Server;
  /** The address actually bound (the port differs from config when config.port is 0). */
  url: string;
  /** Resolves once the store answers and every service runs (already resolved when it answered at start). */
  ready: Promise<void>;
  /** Whether the store answered and every service runs. */
  isReady(): boolean;
  // The services, once ready (reading one before throws).
  readonly store: Store;
  readonly catalog: ProcedureCatalog;
  readonly bookings: BookingService;
  readonly waitlist: WaitlistService;
  readonly dossiers: DossierService;
  readonly bot: AssistantBot;
  readonly dialogServices: DialogServices;
  readonly directLine: DirectLineAdapter;
  /** The centre this assistant serves (CENTRE). */
  readonly centre: CentreProfile;
  /** The Zalo channel when configured: `idle()` resolves when queued webhook work is done. */
  readonly zalo: { client: ZaloClient; idle(): Promise<void>; deliverNotifications(): Promise<number> } | null;
  /** The periodic jobs, callable at once (tests, with the injected clock): reminders due, no-shows, delivery. */
  readonly jobs: Jobs;
  stop(): Promise<void>;
}

interface Jobs {
  reminders(): Promise<number>;
  noShows(): Promise<number>;
  /** Delivers what the outbox holds for web chat and Zalo (consultation or template messages). */
  deliver(): Promise<void>;
}

interface Services {
  store: Store;
  catalog: ProcedureCatalog;
  bookings: BookingService;
  waitlist: WaitlistService;
  dossiers: DossierService;
  bot: AssistantBot;
  dialogServices: DialogServices;
  directLine: DirectLineAdapter;
  streams: ActivityStreams;
  centre: CentreProfile;
  zalo: App['zalo'];
  jobs: Jobs;
  timers: NodeJS.Timeout[];
}

/** What is served while the store does not answer; everything else gets a 503 with a polite message. */
const SERVED_WITHOUT_STORE = new Set(['/healthz', '/', '/webchat/webchat.js', '/webchat/app.js', '/api/messages']);
const RETRY_MAX_MS = 15_000;

export async function startApp(config: Config, log: Logger, clock: Clock = systemClock): Promise<App> {
  const server = createBaseServer({ maxBodyBytes: config.maxBodyBytes, log });
  const storeKind = config.mongodbUri ? 'mongodb' : 'embedded';
  let services: Services | null = null;
  let outageSince: string | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  server.pre((req: Request, res: Response, next: Next) => {
    if (services || SERVED_WITHOUT_STORE.has(req.path())) return next();
    res.header('Retry-After', String(RETRY_AFTER_SECONDS));
    res.send(503, { error: { code: 'unavailable', message: UNAVAILABLE_MESSAGE } });
    return next(false);
  });
  server.get('/healthz', async (_req: Request, res: Response) => {
    if (!services) {
      // Before the first attempt ends (importing the catalogue on a first start takes seconds) the
      // server is starting, not failing.
      res.send(
        503,
        outageSince
          ? { status: 'unavailable', store: storeKind, since: outageSince, message: 'Kho dữ liệu chưa kết nối được; hệ thống đang tự thử lại.' }
          : { status: 'starting', store: storeKind, message: 'Hệ thống đang khởi động.' },
      );
      return;
    }
    try {
      await services.store.ping();
      res.send(200, { status: 'ok', store: storeKind, procedures: services.catalog.size });
    } catch (error) {
      log.warn('store does not answer', { error });
      res.send(503, { status: 'unavailable', store: storeKind, message: 'Kho dữ liệu tạm thời không phản hồi.' });
    }
  });

  const apologise = (context: TurnContext) => context.sendActivity(UNAVAILABLE_MESSAGE).then(() => undefined);
  // A turn whose state changed under it (eTag conflict) runs once more on fresh state.
  const runBot = retryOnStateConflict((context: TurnContext) => (services ? services.bot.run(context) : apologise(context)));
  const onTurnError = async (context: TurnContext, error: Error) => {
    if (isStoreUnavailable(error)) log.warn('bot turn without the store', { channel: context.activity.channelId, error });
    else log.error('bot turn failed', { channel: context.activity.channelId, error });
    await context
      .sendActivity('Xin lỗi, hệ thống đang tạm thời gián đoạn. Xin ông/bà thử lại sau ít phút.')
      .catch((sendError: unknown) => log.error('could not apologise', { error: sendError }));
    // A step that threw would throw again on the next message: forget the conversation's dialog
    // state, so the next message starts clean (the user's profile is kept).
    // A turn that kept losing the race for its state (eTag conflict) did not throw in a step: the
    // state another turn saved is kept.
    if (services && !isStateConflict(error)) {
      await new ConversationState(new StoreStorage(services.store.botState))
        .delete(context)
        .catch((deleteError: unknown) => log.warn('could not clear the conversation state', { error: deleteError }));
    }
  };
  // The Bot Framework channel needs no store of its own: it answers (politely) even in an outage.
  registerBotFramework(server, { ...config.botFramework, log, bot: runBot, onTurnError });
  registerWebChatPage(server);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${address.port}`;
  const publicUrl = config.publicUrl ?? url;

  const connect = async () => {
    // A first start imports the catalogue: in a worker thread, whose heap goes when it ends (see
    // seed-in-worker.ts); the centre is checked first, as startServices does, so a bad CENTRE is
    // reported as such.
    let seeded: Awaited<ReturnType<typeof seedIfNeeded>> | undefined;
    if (CAN_SEED_IN_WORKER) {
      checkedCentre(config);
      seeded = await seedInWorker({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, knowledgeDir: config.knowledgeDir, centre: config.centre });
      if (stopped) return;
    }
    const store = await openStore(config);
    if (stopped) return void (await store.close());
    try {
      services = await startServices(store, server, { config, log, clock, publicUrl, runBot, onTurnError, seeded });
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
    if (outageSince) log.info('store answers again: service resumed', { store: storeKind, unavailableSince: outageSince });
    outageSince = null;
    markReady();
  };
  const retryLater = (delay: number) => {
    retry = setTimeout(() => {
      connect().catch((error) => {
        if (stopped) return;
        if (isStoreUnavailable(error)) log.warn('store still unavailable', { store: storeKind, error });
        else log.error('could not start the services', { error });
        retryLater(Math.min(delay * 2, RETRY_MAX_MS));
      });
    }, delay);
  };
  try {
    await connect();
  } catch (error) {
    if (!isStoreUnavailable(error)) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      throw error;
    }
    outageSince = new Date().toISOString();
    log.error('store unavailable at start: answering "temporarily unavailable" and retrying', { store: storeKind, error });
    retryLater(1000);
  }
  log.info('server listening', { url, store: storeKind, ready: services !== null });

  const running = (): Services => {
    if (!services) throw new Error('the store has not answered yet (await app.ready)');
    return services;
  };
  return {
    server,
    url,
    ready,
    isReady: () => services !== null,
    get store() {
      return running().store;
    },
    get catalog() {
      return running().catalog;
    },
    get bookings() {
      return running().bookings;
    },
    get waitlist() {
      return running().waitlist;
    },
    get dossiers() {
      return running().dossiers;
    },
    get bot() {
      return running().bot;
    },
    get dialogServices() {
      return running().dialogServices;
    },
    get directLine() {
      return running().directLine;
    },
    get centre() {
      return running().centre;
    },
    get zalo() {
      return running().zalo;
    },
    get jobs() {
      return running().jobs;
    },
    stop: async () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      for (const timer of services?.timers ?? []) clearInterval(timer);
      // Open WebSockets would keep the HTTP server from closing.
      services?.streams.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services?.store.close();
    },
  };
}

/** The centre file CENTRE names; a start with a broken one stops here. */
function checkedCentre(config: Config): { ok: true; centre: Centre | null } {
  const centreFile = loadCentreOf(config.knowledgeDir, config.centre);
  if (!centreFile.ok) throw new Error('Cấu hình trung tâm không hợp lệ: ' + centreFile.errors.map((e) => `${e.file} ${e.path}: ${e.reason}`).join('; '));
  return centreFile;
}

/** Everything that needs the store, started once it answers; the routes are added last. */
async function startServices(
  store: Store,
  server: Server,
  deps: {
    config: Config;
    log: Logger;
    clock: Clock;
    publicUrl: string;
    runBot: (context: TurnContext) => Promise<void>;
    onTurnError: (context: TurnContext, error: Error) => Promise<void>;
    /** The import's outcome when it already ran (in a worker); undefined: import now if needed. */
    seeded?: Awaited<ReturnType<typeof seedIfNeeded>>;
  },
): Promise<Services> {
  const { config, log, clock, runBot, onTurnError } = deps;
  const centreFile = checkedCentre(config);
  const centre = centreProfile(centreFile.centre, config.centre);
  const seeded = deps.seeded !== undefined ? deps.seeded : await seedIfNeeded(store, config.knowledgeDir, config.centre);
  if (seeded && !seeded.ok) {
    throw new Error('Dữ liệu tri thức không hợp lệ: ' + seeded.errors.slice(0, 5).map((e) => `${e.file} ${e.path}: ${e.reason}`).join('; '));
  }
  log.info('centre', { id: centre.id, province: centre.province });
  if (seeded?.ok) log.info('knowledge imported', { procedures: seeded.procedures, branches: seeded.branches, version: seeded.hash });
  const promulgation = new Map<string, Promulgation>((await store.procedures.summaries()).map((p) => [p.code, { scope: p.scope, promulgatedBy: p.promulgatedBy }]));
  const catalog = await ProcedureCatalog.open(store, clock, (query, hits) => preferCentreProvince(hits, (code) => promulgation.get(code), centre.province, query));
  // From here on the services see only this centre's branches (a province-wide database holds all).
  store = centreStore(store, centre);
  const calendar = new WorkingCalendar(Holiday.array().parse((await store.meta.get(HOLIDAYS_KEY)) ?? []));
  const rules: BookingRules = {
    perClientPerDay: config.bookingsPerClientPerDay,
    waitlist: { holdMinutes: config.waitlistHoldMinutes, ...config.waitlist },
    lookup: config.bookingLookup,
  };
  const availability = new AvailabilityService(store, calendar, clock, (branchId, procedure) => receptionRefusal(centre, branchId, procedure));
  const waitlist = new WaitlistService(store, availability, clock, rules.waitlist);
  const bookings = new BookingService(store, availability, waitlist, clock, rules, config.noShow);
  const dossiers = new DossierService(store, calendar, clock, config.lookup, config.dossierCodePrefix ?? centreFile.centre?.dossierCodePrefix ?? 'HN');
  const samples = await seedSampleDossiers(store, dossiers, calendar, clock, config.knowledgeDir);
  if (samples > 0) log.info('sample dossiers created', { count: samples });
  const feedback = new FeedbackService(store, clock);
  const checklists = new ChecklistService(store, clock);
  const intents = IntentExamples.parse((await store.meta.get(INTENTS_KEY)) ?? { intents: [] });
  const recognizer = new IntentRecognizer(intents, (q) => catalog.search(q, { limit: 5 }), config.dossierCodePattern, (code) => catalog.titles(code));
  const dialogServices: DialogServices = {
    catalog,
    availability,
    bookings,
    waitlist,
    dossiers,
    feedback,
    checklists,
    recognizer,
    authenticateOfficer: (token) => authenticate(store, `Bearer ${token}`, clock.now()),
    officerToken: (id) => store.tokens.byId(id),
    officerSessionHours: config.officer.sessionHours,
    clock,
    log,
    publicUrl: deps.publicUrl,
    centre,
  };
  // The bot receives its dialog, built on the same state accessors the bot saves after each turn.
  const storage = new StoreStorage(store.botState);
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const profile = userState.createProperty<Profile>('profile');
  const officerSession = conversationState.createProperty<OfficerSession | undefined>('officerSession');
  const bot = new AssistantBot({ conversationState, userState, profile, officerSession }, new MainDialog(dialogServices, profile, officerSession), dialogServices);
  const directLine = new DirectLineAdapter(store.transcripts);
  directLine.onTurnError = onTurnError;
  const secret = await directLineSecret(store, config.directLineSecret);

  const clientAddress = clientAddressResolver(config.trustedProxies ?? []);
  registerApi(server, {
    store,
    catalog,
    availability,
    bookings,
    waitlist,
    dossiers,
    feedback,
    log,
    dossierCodePattern: config.dossierCodePattern,
    requestsPerMinute: config.requestsPerMinute,
    clientAddress,
    officerTokenDays: config.officer.tokenDays,
  });
  const { streams } = registerDirectLine(server, {
    adapter: directLine,
    tokens: new DirectLineTokens(secret),
    store,
    log,
    bot: runBot,
    publicUrl: () => dialogServices.publicUrl,
    conversationsPerHour: config.directLineConversationsPerHour,
    configuredPublicUrl: config.publicUrl,
    streamLimits: config.directLineStream,
    clientAddress,
  });
  registerChecklistPage(server, checklists);
  let zalo: App['zalo'] = null;
  if (config.zalo) {
    const client = new ZaloClient(config.zalo, store.meta, log, undefined, store.leases);
    const zaloAdapter = new ZaloAdapter(client, log);
    zaloAdapter.onTurnError = onTurnError;
    const routes = registerZalo(server, { config: config.zalo, windowSeconds: config.zalo.windowSeconds, adapter: zaloAdapter, client, store, log, bot: runBot });
    const zaloConfig = config.zalo;
    zalo = { client, idle: routes.idle, deliverNotifications: () => deliverZaloNotifications(store, client, log, zaloConfig) };
    log.info('Zalo OA channel on', { webhook: '/api/zalo/webhook' });
  } else {
    log.info('Zalo OA channel off: set ZALO_APP_ID, ZALO_APP_SECRET, ZALO_OA_SECRET_KEY, ZALO_ACCESS_TOKEN and ZALO_REFRESH_TOKEN to turn it on');
  }

  const reminders = new ReminderService(store, clock, { offsets: config.reminderOffsets, byPhone: Boolean(config.zalo?.znsTemplates?.booking_reminder) }, log);
  const jobs: Jobs = {
    reminders: () => reminders.run(),
    noShows: () => bookings.markNoShows(),
    deliver: async () => {
      await deliverWebChatNotifications(store, directLine, log);
      if (zalo) await zalo.deliverNotifications();
    },
  };
  const timers = [
    // Reminders and no-shows: any process may run them (the claim and the status change are atomic).
    setInterval(() => {
      reminders.run().catch((error) => log.warn('booking reminders failed', { error }));
    }, 60_000),
    setInterval(() => {
      bookings.markNoShows().catch((error) => log.warn('no-show sweep failed', { error }));
    }, 5 * 60_000),
    // Holds nobody claimed pass to the next person; every process may sweep (transitions are atomic).
    setInterval(() => {
      waitlist.sweep().catch((error) => log.warn('waitlist sweep failed', { error }));
    }, 30_000),
    setInterval(() => {
      deliverWebChatNotifications(store, directLine, log).catch((error) => log.warn('web chat notifications failed', { error }));
    }, 5_000),
  ];
  if (zalo) {
    const channel = zalo;
    timers.push(
      setInterval(() => {
        channel.deliverNotifications().catch((error) => log.warn('zalo notifications failed', { error }));
      }, 15_000),
    );
  }
  for (const timer of timers) timer.unref();
  return { store, catalog, bookings, waitlist, dossiers, bot, dialogServices, directLine, streams, centre, zalo, jobs, timers };
}
