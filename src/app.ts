/**
 * Composition root: config → store → knowledge seed → services → HTTP server. index.ts runs it; tests
 * start it on a free port with their own config.
 */
import type { Server } from 'restify';
import type { Config } from './config';
import { createServer } from './http/server';
import type { Logger } from './logger';
import type { TurnContext } from 'botbuilder';
import { Holiday, IntentExamples } from '../knowledge/schemas';
import type { DialogServices } from '../dialogs/dialogServices';
import { AssistantBot } from './bot/assistant-bot';
import { IntentRecognizer } from './bot/recognizer';
import { StoreStorage } from './bot/store-storage';
import { registerBotFramework } from './channels/botframework';
import { DirectLineAdapter } from './channels/directline/directline-adapter';
import { DirectLineTokens, directLineSecret, registerDirectLine } from './channels/directline/directline-routes';
import { deliverWebChatNotifications } from './channels/directline/notifications';
import { registerWebChat } from './channels/webchat/webchat-routes';
import { ZaloAdapter } from './channels/zalo/zalo-adapter';
import { ZaloClient } from './channels/zalo/zalo-client';
import { deliverZaloNotifications, registerZalo } from './channels/zalo/zalo-routes';
import { ChecklistService } from './services/checklist-service';
import { FeedbackService } from './services/feedback-service';
import { authenticate } from './services/officer-auth';
import { systemClock, type Clock } from './domain/calendar/clock';
import { WorkingCalendar } from './domain/calendar/working-days';
import { BookingService } from './services/booking-service';
import { DossierService } from './services/dossier-service';
import { HOLIDAYS_KEY, INTENTS_KEY, seedIfNeeded } from './services/knowledge-import';
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
  bot: AssistantBot;
  dialogServices: DialogServices;
  directLine: DirectLineAdapter;
  /** The Zalo channel when configured: `idle()` resolves when queued webhook work is done. */
  zalo: { client: ZaloClient; idle(): Promise<void>; deliverNotifications(): Promise<number> } | null;
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
    const notifier = setInterval(() => {
      deliverWebChatNotifications(store, directLine, log).catch((error) => log.warn('web chat notifications failed', { error }));
    }, 5_000);
    notifier.unref();
    const dossiers = new DossierService(store, calendar, clock, config.lookup, config.dossierCodePrefix);
    const samples = await seedSampleDossiers(store, dossiers, calendar, clock, config.knowledgeDir);
    if (samples > 0) log.info('sample dossiers created', { count: samples });
    const feedback = new FeedbackService(store, clock);
    const checklists = new ChecklistService(store, clock);
    const intents = IntentExamples.parse((await store.meta.get(INTENTS_KEY)) ?? { intents: [] });
    const recognizer = new IntentRecognizer(intents, (q) => catalog.search(q, { limit: 5 }), config.dossierCodePattern, (code) => catalog.titles(code));
    const dialogServices: DialogServices = {
      catalog,
      bookings,
      dossiers,
      feedback,
      checklists,
      recognizer,
      authenticateOfficer: (token) => authenticate(store, `Bearer ${token}`),
      clock,
      log,
      publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
    };
    const bot = new AssistantBot(new StoreStorage(store.botState), dialogServices);
    const runBot = (context: TurnContext) => bot.run(context);
    const onTurnError = async (context: TurnContext, error: Error) => {
      log.error('bot turn failed', { channel: context.activity.channelId, error });
      await context
        .sendActivity('Xin lỗi, hệ thống đang tạm thời gián đoạn. Xin ông/bà thử lại sau ít phút.')
        .catch((sendError: unknown) => log.error('could not apologise', { error: sendError }));
    };
    const directLine = new DirectLineAdapter(store.transcripts);
    directLine.onTurnError = onTurnError;
    const server = createServer({
      store,
      catalog,
      bookings,
      dossiers,
      feedback,
      log,
      maxBodyBytes: config.maxBodyBytes,
      dossierCodePattern: config.dossierCodePattern,
      requestsPerMinute: config.requestsPerMinute,
    });
    // Slow or stuck clients cannot hold connections open for ever.
    server.server.headersTimeout = 10_000;
    server.server.requestTimeout = 30_000;
    server.server.keepAliveTimeout = 5_000;
    registerBotFramework(server, { ...config.botFramework, log, bot: runBot, onTurnError });
    registerDirectLine(server, {
      adapter: directLine,
      tokens: new DirectLineTokens(await directLineSecret(store, config.directLineSecret)),
      store,
      log,
      bot: runBot,
      publicUrl: () => dialogServices.publicUrl,
    });
    registerWebChat(server, checklists);
    let zalo: App['zalo'] = null;
    if (config.zalo) {
      const client = new ZaloClient(config.zalo, store.meta, log);
      const zaloAdapter = new ZaloAdapter(client, log);
      zaloAdapter.onTurnError = onTurnError;
      const routes = registerZalo(server, { config: config.zalo, windowSeconds: config.zalo.windowSeconds, adapter: zaloAdapter, client, store, log, bot: runBot });
      zalo = { client, idle: routes.idle, deliverNotifications: () => deliverZaloNotifications(store, client, log) };
      log.info('Zalo OA channel on', { webhook: '/api/zalo/webhook' });
    } else {
      log.info('Zalo OA channel off: set ZALO_APP_ID, ZALO_APP_SECRET, ZALO_OA_SECRET_KEY, ZALO_ACCESS_TOKEN and ZALO_REFRESH_TOKEN to turn it on');
    }
    const zaloNotifier = zalo
      ? setInterval(() => {
          zalo!.deliverNotifications().catch((error) => log.warn('zalo notifications failed', { error }));
        }, 15_000)
      : null;
    zaloNotifier?.unref();
    if (!config.botFramework.appId) log.info('Bot Framework channel open without authentication (Emulator); set MicrosoftAppId and MicrosoftAppPassword in production');
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    const address = server.address();
    const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${address.port}`;
    if (!config.publicUrl) dialogServices.publicUrl = url;
    log.info('server listening', { url, store: store.kind, procedures: catalog.size });
    return {
      server,
      store,
      catalog,
      bookings,
      dossiers,
      bot,
      dialogServices,
      directLine,
      zalo,
      url,
      stop: async () => {
        clearInterval(sweeper);
        clearInterval(notifier);
        if (zaloNotifier) clearInterval(zaloNotifier);
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
