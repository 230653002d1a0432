/**
 * A run's process loads only what a run needs: its own modules and the experiment's program,
 * never the schema library, the decoder or an experiment's texts and facts (they cost the
 * start of every run). Read from the compiled modules' import statements.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labCatalog } from '../experiments/registry.js';
import { childScriptPath } from './child-path.js';

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

/** Every module reachable by static imports from `entry`: relative files and bare package names. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = (match[1] ?? match[2])!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else if (!spec.startsWith('node:')) packages.add(spec);
    }
  };
  visit(entry);
  return { files, packages };
}

describe("a run's process", () => {
  it('imports no package and no decoder, texts or facts', async () => {
    const catalog = await labCatalog();
    const entries = [childScriptPath(), ...catalog.list().map((e) => catalog.runModule(e.id))];
    for (const entry of entries) {
      const { files, packages } = importGraph(entry);
      expect([...packages], entry).toEqual([]);
      const heavy = [...files].filter((f) => /\/(decode|contract\/explanations)\/|\/(texts|facts|params)\.js$/.test(f));
      expect(heavy, entry).toEqual([]);
    }
  });

  it('the graph reader sees what the experiment definition imports (the check can fail)', async () => {
    const catalog = await labCatalog();
    const program = catalog.runModule('handshake');
    const { packages } = importGraph(program.replace(/program\.js$/, 'index.js'));
    expect([...packages]).toContain('typebox');
  });
});
