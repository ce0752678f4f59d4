/**
 * Validates a knowledge directory and imports it into the configured store (DATA_DIR or MONGODB_URI).
 * Nothing is written when any file is invalid; each error names file, JSON path and reason.
 *
 *   npm run kb:import [-- dir]        (default: the bundled knowledge/; the branches of CENTRE, default hanoi)
 */
import { resolve } from 'node:path';
import { loadConfig } from '../src/config';
import { importKnowledge } from '../src/services/knowledge-import';
import { openStore } from '../src/store/open-store';

async function main(): Promise<number> {
  const config = loadConfig();
  const dir = resolve(process.argv[2] ?? config.knowledgeDir);
  const store = await openStore(config);
  try {
    const result = await importKnowledge(store, dir, config.centre);
    if (!result.ok) {
      console.error(`Từ chối nhập ${dir}: ${result.errors.length} lỗi, không ghi gì vào kho.`);
      for (const e of result.errors) console.error(`  ${e.file}  ${e.path}  ${e.reason}`);
      return 1;
    }
    const p = result.procedures;
    console.log(
      `Đã nhập ${dir} vào kho ${store.kind}: thủ tục ${p.inserted} mới, ${p.updated} cập nhật; ` +
        `chi nhánh ${result.branches.inserted} mới, ${result.branches.updated} cập nhật (phiên bản ${result.hash}).`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`Không nhập được: ${error.message}`);
    process.exit(1);
  },
);
