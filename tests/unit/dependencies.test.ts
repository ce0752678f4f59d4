import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

/**
 * What the server loads is what `dependencies` promises: everything reachable from src/index.ts
 * through its imports is a Node built-in, our own code, or a runtime dependency. A package used only
 * by the eval or the benchmark (fuse.js) stays a devDependency, and nothing drags a removed package
 * (natural) back in.
 */
const ROOT = resolve(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts?: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every package the server's own modules import, found by walking the import graph from a file. */
function packagesReachableFrom(entry: string): Map<string, string> {
  const packages = new Map<string, string>(); // package → first file importing it
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    const info = ts.preProcessFile(source, true, true);
    const requires = [...source.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
    // `import type` is erased at compile time: it loads nothing at run time.
    const typeOnly = new Set([...source.matchAll(/^\s*(?:import|export)\s+type\s[^;]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]));
    for (const specifier of [...info.importedFiles.map((f) => f.fileName), ...requires]) {
      if (typeOnly.has(specifier)) continue;
      if (specifier.startsWith('.')) {
        const base = resolve(dirname(file), specifier);
        const target = [base + '.ts', join(base, 'index.ts'), base].find((p) => existsSync(p) && p.endsWith('.ts'));
        if (target) queue.push(target);
        continue;
      }
      if (specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
      const name = packageName(specifier);
      if (!packages.has(name)) packages.set(name, file.slice(ROOT.length + 1));
    }
  }
  return packages;
}

describe('dependencies', () => {
  const loaded = packagesReachableFrom(join(ROOT, 'src', 'index.ts'));

  it('the server loads only runtime dependencies', () => {
    const notRuntime = [...loaded].filter(([name]) => !(name in pkg.dependencies)).map(([name, file]) => `${name} (imported by ${file})`);
    expect(notRuntime).toEqual([]);
    // The walk does see the packages the server is built on, so an empty result above means something.
    expect([...loaded.keys()]).toEqual(expect.arrayContaining(['botbuilder', 'restify', 'zod', 'pino', '@seald-io/nedb']));
  });

  it('keeps the eval and benchmark baseline out of the server', () => {
    expect(loaded.has('fuse.js')).toBe(false);
    expect(pkg.dependencies).not.toHaveProperty(['fuse.js']);
    expect(pkg.devDependencies).toHaveProperty(['fuse.js']);
  });

  it('no longer needs natural (its tree brought mongoose, pg, redis and wordnet for one distance)', () => {
    expect(pkg.dependencies).not.toHaveProperty('natural');
    expect(pkg.devDependencies).not.toHaveProperty('natural');
  });

  it('loads every runtime dependency without a deprecation warning (npm start hides none)', () => {
    // botframework-webchat is a browser bundle we only serve as a file; every other package is loaded.
    const packages = Object.keys(pkg.dependencies).filter((name) => name !== 'botframework-webchat');
    const run = spawnSync(process.execPath, ['--throw-deprecation', '-e', `for (const m of ${JSON.stringify(packages)}) require(m)`], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(pkg.scripts?.start).not.toMatch(/--no-deprecation|--no-warnings/);
  });

  it('keeps restify working without spdy, which it loads but we never use', () => {
    const run = spawnSync(
      process.execPath,
      ['-e', "const r = require('restify'); r.createServer(); try { r.createServer({ spdy: {} }); } catch (e) { console.log(e.message); }"],
      { cwd: ROOT, encoding: 'utf8', timeout: 30_000 },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/SPDY is not supported/);
  });

  it('pins @seald-io/nedb exactly, since the embedded store patches its private internals', () => {
    const pinned = pkg.dependencies['@seald-io/nedb'];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const installed = JSON.parse(readFileSync(require.resolve('@seald-io/nedb/package.json'), 'utf8')).version;
    expect(installed).toBe(pinned);
  });
});
