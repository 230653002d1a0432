// Copies the files under server/ that tsc does not make (the lab's tracers, experiments' programs:
// `.py`, `.cjs`, and `.js` in a `programs/` folder) to dist/server/, next to the compiled modules
// that use them. Run after tsc by `npm run build:server`.
import { cpSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const from = join(root, 'server');
const to = join(root, 'dist', 'server');
let copied = 0;
for (const entry of readdirSync(from, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const program = /\.(py|cjs)$/.test(entry.name) || (/\.(js|mjs)$/.test(entry.name) && entry.parentPath.split(/[\\/]/).at(-1) === 'programs');
  if (!program) continue;
  const source = join(entry.parentPath, entry.name);
  cpSync(source, join(to, relative(from, source)));
  copied++;
}
console.log(`copied ${copied} program and tracer files to dist/server`);
