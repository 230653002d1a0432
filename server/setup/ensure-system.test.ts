import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./ensure-system.sh', import.meta.url));

/** Runs the script on a PATH that holds only bash and id: nothing installed, no apt-get. */
function runBare(...args: string[]): { status: number | null; stderr: string } {
  const bin = mkdtempSync(join(tmpdir(), 'socket-lab-bare-'));
  try {
    for (const tool of ['bash', 'id']) {
      const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      symlinkSync(found, join(bin, tool));
    }
    const res = spawnSync(join(bin, 'bash'), [script, ...args], { env: { PATH: bin }, encoding: 'utf8' });
    return { status: res.status, stderr: res.stderr };
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
}

describe('ensure-system.sh', () => {
  it('for npm start: names what capture needs and the command, and lets the lab start without it', () => {
    const { status, stderr } = runBare('start');
    expect(status).toBe(0);
    expect(stderr).toMatch(/needs: tcpdump iproute2\./);
    expect(stderr).toMatch(/apt-get install -y tcpdump iproute2/);
    expect(stderr).not.toMatch(/chromium|tshark/);
  });

  it('for npm test: names everything the tests need and fails', () => {
    const { status, stderr } = runBare();
    expect(status).toBe(1);
    expect(stderr).toMatch(/Missing system packages: tcpdump iproute2 util-linux/);
  });
});
