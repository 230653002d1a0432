// `npm run dev`: the server recompiled and restarted on change, and the Vite dev server with
// hot reload in front of it. Open the Vite URL it prints.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';

const port = process.env.PORT ?? '7357';
const vitePort = process.env.VITE_PORT ?? '5173';
const token = process.env.SOCKET_LAB_TOKEN ?? randomBytes(24).toString('base64url');
const env = {
  ...process.env,
  PORT: port,
  SOCKET_LAB_TOKEN: token,
  SOCKET_LAB_ALLOWED_HOSTS: `127.0.0.1:${vitePort},localhost:${vitePort}`,
  SOCKET_LAB_ALLOWED_ORIGINS: `http://127.0.0.1:${vitePort},http://localhost:${vitePort}`,
};
const children = [];
const run = (cmd, args) => {
  const child = spawn(cmd, args, { stdio: 'inherit', env });
  children.push(child);
  child.on('exit', (code) => {
    if (code) stop(code);
  });
  return child;
};
function stop(code = 0) {
  for (const child of children) child.kill('SIGTERM');
  process.exit(code);
}
process.on('SIGINT', () => stop());
process.on('SIGTERM', () => stop());

const tsc = ['node_modules/typescript/bin/tsc', '-p', 'server/tsconfig.json'];
if (!existsSync('dist/server/main.js')) {
  await new Promise((done, fail) => spawn('node', tsc, { stdio: 'inherit' }).on('exit', (c) => (c ? fail(new Error('tsc failed')) : done())));
}
await new Promise((done) => spawn('node', ['server/setup/copy-programs.mjs'], { stdio: 'inherit' }).on('exit', done));
run('node', [...tsc, '--watch', '--preserveWatchOutput']);
run('node', ['--watch-path=dist/server', 'dist/server/main.js']);
run('node', ['node_modules/vite/bin/vite.js', '--port', vitePort, '--strictPort']);
console.log(`\nSocket Lab dev: open http://127.0.0.1:${vitePort}  (token ${token})\n`);
