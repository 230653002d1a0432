/**
 * Decoding speed against tcpdump and tshark on the same file, in the same run:
 * - a synthetic capture of real-looking TCP (100,000 packets; 2,000 in smoke mode);
 * - the public captures beside the clone (`../shared/pcaps`, their Ethernet pcap files merged
 *   into one), when they are there.
 * Ours: reading the file and decoding every packet, in this process (no process start). Peers:
 * `tcpdump -nr FILE` and `tshark -n -r FILE` printing every packet's line to /dev/null, whole
 * process. Each is the median of several runs. Rates are packets per second; the ratio is ours
 * over the peer's (≥ 1.0: ours is at least as fast).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function lab() {
  const dist = join(root, 'dist/server');
  if (!existsSync(join(dist, 'decode/index.js'))) throw new Error('dist/server is not built: run `npm run build:server` (npm run bench does)');
  const decode = await import(join(dist, 'decode/index.js'));
  const read = await import(join(dist, 'pcap/read-capture.js'));
  const synthetic = await import(join(dist, 'pcap/synthetic-capture.js'));
  return { ...decode, ...read, ...synthetic };
}

function has(tool) {
  return spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Wall and CPU seconds of `fn` in this process. */
function ownTimes(fn) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  fn();
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6 };
}

/** Wall and CPU seconds of a peer reading the file (its CPU from the shell's `times`). */
function peerTimes(command) {
  const start = performance.now();
  const result = spawnSync('bash', ['-c', `${command} >/dev/null 2>&1 || exit 1; times`], { encoding: 'utf8', timeout: 600_000 });
  const wall = (performance.now() - start) / 1000;
  if (result.status !== 0) throw new Error(`${command} failed (${result.status ?? result.signal})`);
  // `times` prints the shell's own times, then its children's: "0m0.107s 0m0.066s".
  const children = result.stdout.trim().split('\n').at(-1).match(/(\d+)m([\d.]+)s (\d+)m([\d.]+)s/);
  const cpu = children ? Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4]) : NaN;
  return { wall, cpu };
}

/**
 * Runs each contender `runs` times, interleaved (ours, then each peer, again and again) so that
 * load from elsewhere on the machine falls on all alike; the median wall and CPU time of each.
 */
function race(runs, contenders) {
  const times = contenders.map(() => ({ wall: [], cpu: [] }));
  for (let i = 0; i < runs; i++) {
    contenders.forEach((c, j) => {
      if (!c) return;
      const t = c();
      times[j].wall.push(t.wall);
      times[j].cpu.push(t.cpu);
    });
  }
  return times.map((t, j) => (contenders[j] ? { wall: median(t.wall), cpu: median(t.cpu) } : null));
}

function pcapsDir() {
  const dirs = [process.env.SOCKET_LAB_PCAPS, resolve(root, '../shared/pcaps')];
  return dirs.find((d) => d && existsSync(join(d, 'MANIFEST')));
}

/** The public captures that are classic pcap with Ethernet, merged into one file in `tmp`. */
function mergedRealCaptures(dir, tmp) {
  if (!has('mergecap')) return undefined;
  const files = readFileSync(join(dir, 'MANIFEST'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t'))
    .filter((c) => c[6] === 'ether' && c[0].endsWith('.pcap'))
    .map((c) => join(dir, c[0]));
  const out = join(tmp, 'public-ethernet.pcap');
  execFileSync('mergecap', ['-F', 'pcap', '-a', '-w', out, ...files], { stdio: 'ignore' });
  return { path: out, files: files.length };
}

export default async function decodeRows({ smoke, tmp }) {
  const { readCaptureFile, summarizeFrame, decodeFrame, syntheticTcpCapture } = await lab();
  const runs = smoke ? 1 : 7;
  const rows = [];

  const measure = (label, path, full) => {
    const count = readCaptureFile(readFileSync(path)).records.length;
    const quoted = `'${path.replaceAll("'", "'\\''")}'`;
    const summary = () =>
      ownTimes(() => {
        const file = readCaptureFile(readFileSync(path));
        for (const r of file.records) summarizeFrame(r.data, r.linktype ?? file.linktype, r.len);
      });
    const tree = () =>
      ownTimes(() => {
        const file = readCaptureFile(readFileSync(path));
        for (const r of file.records) decodeFrame(r.data, r.linktype ?? file.linktype, r.len);
      });
    const tcpdump = has('tcpdump') ? () => peerTimes(`tcpdump -nr ${quoted}`) : null;
    const tshark = has('tshark') ? () => peerTimes(`tshark -n -r ${quoted}`) : null;
    // A first pass of ours alone warms the JIT, as a long-running server would be.
    summary();
    const [ours, td] = race(runs, [summary, tcpdump]);
    const [ours2, ts, full2] = race(smoke ? 1 : 3, [summary, tshark, full ? tree : null]);
    const rate = (seconds) => count / seconds;
    const row = (what, mine, peer, theirs, target) => ({
      row: `${what}, ${label}`,
      value: rate(mine),
      unit: 'packets/s',
      peer,
      peerValue: theirs === null ? null : rate(theirs),
      ratio: theirs === null ? null : theirs / mine,
      target,
    });
    rows.push(row('summary decode', ours.wall, 'tcpdump -nr', td?.wall ?? null, '≥ 1.0'));
    rows.push(row('summary decode (CPU time)', ours.cpu, 'tcpdump -nr', td?.cpu ?? null, null));
    rows.push(row('summary decode', ours2.wall, 'tshark -r', ts?.wall ?? null, null));
    if (full2) {
      rows.push(row('full field tree, every packet', full2.wall, 'tshark -r', ts?.wall ?? null, null));
      rows.push({ row: `full field tree, one packet (mean), ${label}`, value: (full2.wall / count) * 1e6, unit: 'µs', peer: null, peerValue: null, ratio: null, target: null });
    }
  };

  const packets = smoke ? 2_000 : 100_000;
  const synthetic = join(tmp, 'synthetic.pcap');
  writeFileSync(synthetic, syntheticTcpCapture({ packets, seed: 1 }));
  measure(`${packets.toLocaleString('en-US')} synthetic TCP packets`, synthetic, true);

  const dir = pcapsDir();
  const merged = dir && mergedRealCaptures(dir, tmp);
  if (merged) {
    const count = readCaptureFile(readFileSync(merged.path)).records.length;
    measure(`${merged.files} public Ethernet captures (${count.toLocaleString('en-US')} packets)`, merged.path, false);
  }
  return rows;
}
