/**
 * The page is built from its own sources and the contract only: every module in the production
 * bundle that comes from server/ lies in server/contract/, so no decoder, runner or experiment
 * code reaches the browser; and no page source (tests aside) imports anything else from server/.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Rollup } from 'vite';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const serverDir = join(root, 'server') + sep;
const contractDir = join(root, 'server', 'contract') + sep;

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sources(path)));
    else if (/\.(ts|svelte)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) && !path.includes(`${sep}test-support${sep}`)) out.push(path);
  }
  return out;
}

describe('the page and the server share only the contract', () => {
  it('no page source imports from server/ except server/contract/', async () => {
    const offending: string[] = [];
    for (const file of await sources(join(root, 'web', 'src'))) {
      const text = await readFile(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        const spec = m[1]!;
        if (!spec.startsWith('.')) continue;
        const target = join(file, '..', spec);
        if (target.startsWith(serverDir) && !target.startsWith(contractDir)) offending.push(`${relative(root, file)} → ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('the production bundle holds no module from server/ outside the contract', async () => {
    const result = (await build({
      configFile: join(root, 'vite.config.ts'),
      logLevel: 'silent',
      build: { write: false, emptyOutDir: false },
    })) as Rollup.RollupOutput | Rollup.RollupOutput[];
    const outputs = Array.isArray(result) ? result : [result];
    const modules = outputs.flatMap((o) => o.output.flatMap((chunk) => (chunk.type === 'chunk' ? chunk.moduleIds : [])));
    const fromServer = modules.filter((id) => id.startsWith(serverDir));
    expect(fromServer.length).toBeGreaterThan(0); // the contract is there...
    expect(fromServer.filter((id) => !id.startsWith(contractDir)).map((id) => relative(root, id))).toEqual([]); // ...and nothing else
    expect(modules.some((id) => id.includes(`${sep}server${sep}decode${sep}`))).toBe(false);
  }, 120_000);
});
