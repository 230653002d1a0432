import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../paths.js';

/**
 * The compiled child script: beside this file when running from dist/, else (running from the
 * TypeScript sources, as the tests do) in the project's dist/ after `npm run build:server`.
 */
export function childScriptPath(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return join(dirname(here), 'child.js');
  return join(projectRoot, 'dist', 'server', 'runner', 'child.js');
}
