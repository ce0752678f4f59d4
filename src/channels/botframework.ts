/**
 * The Bot Framework channel: CloudAdapter on /api/messages. With MicrosoftAppId and
 * MicrosoftAppPassword set, requests without a valid Bot Framework token are rejected; without them
 * it talks to the Bot Framework Emulator.
 */
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type * as restify from 'restify';
import type { Logger } from '../logger';

export function registerBotFramework(
  server: restify.Server,
  deps: { appId?: string; appPassword?: string; tenantId?: string; log: Logger; bot: (context: TurnContext) => Promise<void>; onTurnError: (context: TurnContext, error: Error) => Promise<void> },
): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: deps.appId ?? '',
    MicrosoftAppPassword: deps.appPassword ?? '',
    MicrosoftAppType: deps.tenantId ? 'SingleTenant' : 'MultiTenant',
    MicrosoftAppTenantId: deps.tenantId ?? '',
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = deps.onTurnError;
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    await adapter.process(req, res, deps.bot);
  });
  return adapter;
}
