/**
 * Officer tokens from the command line: create one (the secret is printed once, only its hash is
 * stored), list them, revoke one.
 *
 *   npm run officer:token -- --name "Nguyễn Văn A" [--role officer|admin] [--days 90]
 *   npm run officer:token -- --list
 *   npm run officer:token -- --revoke <id>
 *
 * Where it works:
 * - Without --server it opens the store itself: MongoDB (MONGODB_URI), or the embedded store when no
 *   server holds it (the embedded store is one process at a time). That is how the first admin token
 *   is made.
 * - With --server <address> it asks the running server through /api/admin/officer-tokens, with an
 *   admin token taken from the environment variable OFFICER_ADMIN_TOKEN (not from the command line,
 *   which other users of the machine can see and the shell keeps in its history).
 */
import { loadConfig } from '../src/config';
import { createOfficerToken, describeToken, revokeOfficerToken } from '../src/services/officer-auth';
import { openStore } from '../src/store/open-store';
import { StoreLockedError } from '../src/store/types';

const USAGE = [
  'Cách dùng:',
  '  npm run officer:token -- --name "Họ tên cán bộ" [--role officer|admin] [--days <số ngày>]',
  '  npm run officer:token -- --list',
  '  npm run officer:token -- --revoke <định danh>',
  'Khi máy chủ đang chạy: thêm --server http://địa-chỉ:cổng và đặt OFFICER_ADMIN_TOKEN=<mã quản trị>.',
].join('\n');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

type View = ReturnType<typeof describeToken>;
type Command = { kind: 'create'; name: string; role: 'officer' | 'admin'; days?: number } | { kind: 'list' } | { kind: 'revoke'; id: string };

function parseCommand(): Command | null {
  const revoke = option('revoke');
  if (flag('revoke')) return revoke && !revoke.startsWith('--') ? { kind: 'revoke', id: revoke } : null;
  if (flag('list')) return { kind: 'list' };
  const name = option('name')?.trim();
  const role = option('role') ?? 'officer';
  const daysText = option('days');
  const days = daysText === undefined ? undefined : Number(daysText);
  if (!name || (role !== 'officer' && role !== 'admin')) return null;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) return null;
  return { kind: 'create', name: name.normalize('NFC'), role, days };
}

function line(t: View): string {
  const state = t.revokedAt ? `thu hồi ${t.revokedAt}` : t.active ? 'còn hiệu lực' : 'hết hạn';
  return `${t.id}  ${t.role.padEnd(7)}  ${t.name}  tạo ${t.createdAt}  hết hạn ${t.expiresAt ?? 'không'}  ${state}`;
}

function print(command: Command, result: { secret?: string; token?: View; tokens?: View[] }): void {
  if (command.kind === 'create') {
    console.log(`Mã truy cập cho ${result.token!.name} (${result.token!.role}), hết hạn ${result.token!.expiresAt}; định danh ${result.token!.id}.`);
    console.log(`Chỉ hiện một lần, hãy lưu lại:\n${result.secret}`);
  } else if (command.kind === 'revoke') {
    console.log(`Đã thu hồi mã ${result.token!.id} (${result.token!.name}) lúc ${result.token!.revokedAt}.`);
  } else {
    console.log(result.tokens!.length ? result.tokens!.map(line).join('\n') : 'Chưa có mã truy cập nào.');
  }
}

/** Through the running server's admin routes. */
async function viaServer(server: string, command: Command): Promise<number> {
  // Read here and nowhere else: the admin secret must not be typed on the command line.
  const admin = process.env.OFFICER_ADMIN_TOKEN?.trim();
  if (!admin) {
    console.error('Cần biến môi trường OFFICER_ADMIN_TOKEN (mã của một quản trị viên) để dùng --server.');
    return 2;
  }
  const base = `${server.replace(/\/$/, '')}/api/admin/officer-tokens`;
  const request =
    command.kind === 'create'
      ? { url: base, method: 'POST', body: JSON.stringify({ name: command.name, role: command.role, ...(command.days ? { days: command.days } : {}) }) }
      : command.kind === 'revoke'
        ? { url: `${base}/${encodeURIComponent(command.id)}/revoke`, method: 'POST', body: undefined }
        : { url: base, method: 'GET', body: undefined };
  const res = await fetch(request.url, {
    method: request.method,
    headers: { authorization: `Bearer ${admin}`, ...(request.body ? { 'content-type': 'application/json' } : {}) },
    body: request.body,
  });
  const json = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!res.ok) {
    console.error(`Máy chủ từ chối (${res.status}): ${json?.error?.message ?? 'không rõ lý do'}`);
    return 1;
  }
  print(command, json as never);
  return 0;
}

/** Directly on the store (MongoDB, or the embedded store when no server holds it). */
async function viaStore(command: Command): Promise<number> {
  const config = loadConfig();
  let store;
  try {
    store = await openStore(config);
  } catch (error) {
    if (error instanceof StoreLockedError) {
      console.error(`${error.message}\nMáy chủ đang chạy: dùng --server http://địa-chỉ:cổng và OFFICER_ADMIN_TOKEN=<mã quản trị> để làm việc qua máy chủ.`);
      return 1;
    }
    throw error;
  }
  try {
    const now = new Date();
    if (command.kind === 'create') {
      const { secret, token } = await createOfficerToken(store, command.name, command.role, now, command.days ?? config.officer.tokenDays);
      print(command, { secret, token: describeToken(token, now) });
    } else if (command.kind === 'revoke') {
      try {
        print(command, { token: describeToken(await revokeOfficerToken(store, command.id, now), now) });
      } catch (error) {
        console.error((error as Error).message);
        return 1;
      }
    } else {
      print(command, { tokens: (await store.tokens.list(500)).map((t) => describeToken(t, now)) });
    }
    return 0;
  } finally {
    await store.close();
  }
}

async function main(): Promise<number> {
  const command = parseCommand();
  if (!command) {
    console.error(USAGE);
    return 2;
  }
  const server = option('server');
  return server ? viaServer(server, command) : viaStore(command);
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`Không thực hiện được: ${error.message}`);
    process.exit(1);
  },
);
