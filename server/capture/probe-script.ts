/**
 * The tiny capture the probe tries: a Node script (CommonJS, run with `node -e`) that brings up
 * `lo` when asked, starts tcpdump on it for one UDP datagram it sends to itself, and prints one
 * JSON line: `{ "ok": true }` or `{ "ok": false, "stage": ..., "message": ... }`.
 *
 * Arguments: `<tcpdump path> <ip path or "-">` ("-": do not touch lo).
 */
export const PROBE_SCRIPT = String.raw`
const { spawn, execFileSync } = require('node:child_process');
const dgram = require('node:dgram');
const [tcpdump, ip] = process.argv.slice(1);
const report = (result) => { process.stdout.write(JSON.stringify(result) + '\n'); process.exit(0); };
try {
  if (ip !== '-') execFileSync(ip, ['link', 'set', 'lo', 'up'], { stdio: ['ignore', 'ignore', 'pipe'] });
} catch (err) {
  report({ ok: false, stage: 'lo', message: String(err.stderr || err.message).trim() });
}
const sock = dgram.createSocket('udp4');
sock.bind(0, '127.0.0.1', () => {
  const port = sock.address().port;
  const args = ['-i', 'lo', '-n', '-c', '1', '-U', '-w', '-', '--immediate-mode', 'udp port ' + port];
  const td = spawn(tcpdump, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let sent = false;
  const timer = setTimeout(() => {
    td.kill('SIGKILL');
    report({ ok: false, stage: 'capture', message: (stderr.trim() + ' (no packet captured in time)').trim() });
  }, 4000);
  td.on('error', (err) => { clearTimeout(timer); report({ ok: false, stage: 'capture', message: err.message }); });
  td.stderr.on('data', (chunk) => {
    stderr += chunk;
    if (!sent && stderr.includes('listening on')) {
      sent = true;
      sock.send('socket-lab probe', port, '127.0.0.1');
    }
  });
  td.on('close', (code) => {
    clearTimeout(timer);
    if (code === 0 && /^1 packet captured/m.test(stderr)) report({ ok: true });
    report({ ok: false, stage: 'capture', message: stderr.trim() || 'tcpdump exited with code ' + code });
  });
});
`;
