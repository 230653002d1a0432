import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { compression } from 'vite-plugin-compression2';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const serverPort = process.env.PORT ?? '7357';
const serverOrigin = `http://127.0.0.1:${serverPort}`;

/** In dev, the page gets the control token from the environment (the server fills it in production). */
function devToken(): Plugin {
  return {
    name: 'socket-lab-dev-token',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace('__SOCKET_LAB_TOKEN__', process.env.SOCKET_LAB_TOKEN ?? '');
    },
  };
}

export default defineConfig({
  root: `${repoRoot}web`,
  plugins: [
    svelte({ configFile: false }),
    devToken(),
    // Brotli and gzip copies beside each asset, served by the lab to browsers that accept them.
    // index.html is left out: the server fills in the token, so it is never served as built.
    compression({ algorithms: ['brotliCompress', 'gzip'], include: /\.(js|css|svg|json)$/, threshold: 1024 }),
  ],
  build: {
    outDir: `${repoRoot}dist/web`,
    emptyOutDir: true,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: serverOrigin },
      '/ws': { target: serverOrigin, ws: true },
    },
  },
});
