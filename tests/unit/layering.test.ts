import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}
const imports = (file: string) => [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);

describe('imports point one way', () => {
  it('src/ never imports the dialogs or the bot, except the composition root (app.ts)', () => {
    for (const file of files(join(ROOT, 'src'))) {
      if (relative(ROOT, file) === join('src', 'app.ts')) continue;
      for (const i of imports(file)) expect(`${relative(ROOT, file)} → ${i}`).not.toMatch(/→ .*\/(dialogs|bots)\//);
    }
  });

  it('the dialogs never import the bot', () => {
    for (const file of files(join(ROOT, 'dialogs'))) for (const i of imports(file)) expect(`${relative(ROOT, file)} → ${i}`).not.toMatch(/→ .*\/bots\//);
  });

  it('the domain imports nothing outside itself but the knowledge schemas', () => {
    for (const file of files(join(ROOT, 'src', 'domain'))) {
      for (const i of imports(file).filter((x) => x.startsWith('.'))) {
        const target = relative(ROOT, join(file, '..', i));
        expect(`${relative(ROOT, file)} → ${target}`).toMatch(/→ (src\/domain\/|knowledge\/schemas)/);
      }
    }
  });
});
