import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

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
  plugins: [svelte({ configFile: false }), devToken()],
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
