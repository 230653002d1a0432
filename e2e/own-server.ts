import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { E2E_TOKEN } from '../playwright.config.js';

/**
 * A lab server of a test's own, so it can be stopped and started again on the same port, with
 * the same data folder, and with other settings (`env`: a new token, say) at the next start.
 */
export class OwnServer {
  #child: ChildProcess | null = null;
  constructor(
    readonly port: number,
    readonly dataDir: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(env: Record<string, string> = {}): Promise<void> {
    const child = spawn(process.execPath, ['dist/server/main.js'], {
      env: { ...process.env, PORT: String(this.port), HOST: '127.0.0.1', SOCKET_LAB_TOKEN: E2E_TOKEN, SOCKET_LAB_DATA: this.dataDir, ...env },
      stdio: 'ignore',
    });
    this.#child = child;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${this.url}/api/health`)).ok) return;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the lab server did not start');
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

/** A port free on 127.0.0.1 now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}
