/**
 * Creates an officer token and prints it once (only its hash is stored).
 *
 *   npm run officer:token -- --name "Nguyễn Văn A" [--role officer|admin]
 */
import { loadConfig } from '../src/config';
import { createOfficerToken } from '../src/services/officer-auth';
import { openStore } from '../src/store/open-store';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const name = option('name')?.trim();
  const role = option('role') ?? 'officer';
  if (!name || (role !== 'officer' && role !== 'admin')) {
    console.error('Cách dùng: npm run officer:token -- --name "Họ tên cán bộ" [--role officer|admin]');
    return 2;
  }
  const store = await openStore(loadConfig());
  try {
    const { secret, token } = await createOfficerToken(store, name.normalize('NFC'), role, new Date());
    console.log(`Mã truy cập cho ${token.name} (${token.role}), chỉ hiện một lần, hãy lưu lại:\n${secret}`);
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`Không tạo được mã: ${error.message}`);
    process.exit(1);
  },
);
