/**
 * The Bot Framework channel: CloudAdapter on /api/messages.
 *
 * - With MicrosoftAppId (and its password) every request must carry a valid Bot Framework token.
 * - Without credentials the channel is off (403): an open /api/messages would let anyone choose the
 *   channel, the user and the `serviceUrl` the bot POSTs its replies to (a relay to any address).
 * - BOT_EMULATOR=1 opens it for the Bot Framework Emulator on this machine only: the caller and the
 *   `serviceUrl` must both be loopback addresses.
 */
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type TurnContext } from 'botbuilder';
import { isIP } from 'node:net';
import type * as restify from 'restify';
import { z } from 'zod';
import { sendError, sendValidationError } from '../http/errors';
import type { Logger } from '../logger';

const IncomingActivity = z
  .object({
    type: z.string().min(1).max(60),
    serviceUrl: z.string().min(1).max(500),
    conversation: z.object({ id: z.string().min(1).max(500) }).passthrough(),
  })
  .passthrough();

/** Whether an address (a peer's or a URL's host) is this machine. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const host = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  const v4 = host.startsWith('::ffff:') ? host.slice(7) : host;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

function loopbackUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && isLoopback(parsed.hostname);
  } catch {
    return false;
  }
}

/** CloudAdapter, with the activity handed over after our own checks (its `process` answers errors with stack text). */
class BotFrameworkAdapter extends CloudAdapter {
  receive(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(authHeader, activity, logic);
  }
}

export function registerBotFramework(
  server: restify.Server,
  deps: {
    appId?: string;
    appPassword?: string;
    tenantId?: string;
    emulator: boolean;
    log: Logger;
    bot: (context: TurnContext) => Promise<void>;
    onTurnError: (context: TurnContext, error: Error) => Promise<void>;
  },
): CloudAdapter {
  const { log } = deps;
  const secured = Boolean(deps.appId);
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: deps.appId ?? '',
    MicrosoftAppPassword: deps.appPassword ?? '',
    MicrosoftAppType: deps.tenantId ? 'SingleTenant' : 'MultiTenant',
    MicrosoftAppTenantId: deps.tenantId ?? '',
  });
  const adapter = new BotFrameworkAdapter(auth);
  adapter.onTurnError = deps.onTurnError;
  if (secured) log.info('Bot Framework channel on', { path: '/api/messages' });
  else if (deps.emulator) log.warn('Bot Framework channel in Emulator mode: without authentication, loopback callers and serviceUrl only');
  else log.info('Bot Framework channel off: set MicrosoftAppId and MicrosoftAppPassword, or BOT_EMULATOR=1 for the local Emulator');

  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    if (!secured && !deps.emulator) {
      return void sendError(res, 403, 'channel_off', 'Kênh Bot Framework chưa được bật trên máy chủ này.');
    }
    const parsed = IncomingActivity.safeParse(req.body);
    if (!parsed.success) return void sendValidationError(res, parsed.error);
    const activity = parsed.data as unknown as Activity;
    if (!secured) {
      const caller = req.socket?.remoteAddress;
      if (!isLoopback(caller) || !loopbackUrl(activity.serviceUrl)) {
        log.warn('bot framework request refused (Emulator mode is loopback only)', { caller, serviceUrlLoopback: loopbackUrl(activity.serviceUrl) });
        return void sendError(res, 403, 'forbidden', 'Chế độ Emulator chỉ nhận yêu cầu từ chính máy chủ (địa chỉ loopback).');
      }
    }
    try {
      const invokeResponse = await adapter.receive(req.header('authorization') ?? '', activity, deps.bot);
      if (invokeResponse?.body !== undefined) res.send(invokeResponse.status ?? 200, invokeResponse.body);
      else res.send(invokeResponse?.status ?? 200);
    } catch (error) {
      // botbuilder's AuthenticationError carries statusCode 401 (the class is not exported by botbuilder).
      if ((error as { statusCode?: number }).statusCode === 401) {
        log.info('bot framework request refused', { reason: 'authentication' });
        res.header('WWW-Authenticate', 'Bearer');
        return void sendError(res, 401, 'unauthorized', 'Yêu cầu không có mã xác thực Bot Framework hợp lệ.');
      }
      // Verifying a token needs Bot Framework's keys; when they cannot be fetched nothing is processed.
      log.error('bot framework request failed', { error });
      sendError(res, 503, 'unavailable', 'Không xác thực được yêu cầu lúc này. Xin thử lại sau.');
    }
  });
  return adapter;
}
