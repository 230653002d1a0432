/**
 * The handshake experiment on real sockets: what the kernel put on the wire, checked against
 * what the programs did.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { probeCapture } from '../../capture/probe.js';
import { Trace as TraceSchema, type CaptureInfo, type ProgramLang, type Trace, type TraceEvent } from '../../contract/trace.js';
import { runExperiment } from '../../runner/run.js';
import { causeOfPacket } from '../../contract/program-lines.js';
import { appBytes, hasFlags, noteIndex, segments, seqAdd, socketEvents, type Segment } from '../../runner/test-support.js';
import { ensureRunnerBuilt } from '../../runner/vitest-global-setup.js';

let capture: CaptureInfo;

beforeAll(async () => {
  ensureRunnerBuilt();
  capture = await probeCapture({ ...process.env, SOCKET_LAB_CAPTURE: '' });
}, 180_000);

async function run(lang: ProgramLang, params: Record<string, unknown>): Promise<{ trace: Trace; live: TraceEvent[] }> {
  const live: TraceEvent[] = [];
  const trace = await runExperiment({ experiment: 'handshake', params, capture, lang, onEvent: (e) => live.push(e) });
  return { trace, live };
}

function connection(trace: Trace) {
  const lane = trace.lanes[0]!;
  const all = segments(trace);
  const fromClient = (s: Segment) => s.from === lane.client;
  return { lane, all, fromClient };
}

/** Checks the three-way handshake and returns its segments. */
function checkHandshake(trace: Trace) {
  const { lane, all, fromClient } = connection(trace);
  const [syn, synack, ack] = all;
  expect(syn && fromClient(syn) && syn.flags).toEqual(['SYN']);
  expect(synack && !fromClient(synack) && synack.flags).toEqual(['ACK', 'SYN']);
  expect(ack && fromClient(ack) && ack.flags).toEqual(['ACK']);
  expect(synack!.ack).toBe(seqAdd(syn!.seq, 1));
  expect(ack!.seq).toBe(seqAdd(syn!.seq, 1));
  expect(ack!.ack).toBe(seqAdd(synack!.seq, 1));
  expect(syn!.to).toBe(lane.server);
  return { syn: syn!, synack: synack!, ack: ack!, lane, all, fromClient };
}

/** Checks one data segment each way and the acknowledgements that follow. */
function checkData(trace: Trace, message: string) {
  const { syn, synack, all, fromClient } = checkHandshake(trace);
  const sent = Buffer.from(message);
  const reply = Buffer.from(message.toUpperCase());
  const data = all.filter((s) => s.payload.length > 0);
  const clientData = data.filter(fromClient);
  const serverData = data.filter((s) => !fromClient(s));
  expect(Buffer.concat(clientData.map((s) => s.payload))).toEqual(sent);
  expect(Buffer.concat(serverData.map((s) => s.payload))).toEqual(reply);
  expect(clientData[0]!.seq).toBe(seqAdd(syn.seq, 1));
  expect(serverData[0]!.seq).toBe(seqAdd(synack.seq, 1));
  // After the data, each side acknowledges the other's bytes.
  const acks = (fromSide: boolean, value: number) =>
    all.some((s) => fromClient(s) === fromSide && hasFlags(s, 'ACK') && s.ack === value);
  expect(acks(false, seqAdd(syn.seq, 1 + sent.length))).toBe(true);
  expect(acks(true, seqAdd(synack.seq, 1 + reply.length))).toBe(true);
  // What the programs wrote and read is what crossed the wire.
  expect(appBytes(trace, 'client', 'write')).toEqual(sent);
  expect(appBytes(trace, 'server', 'read')).toEqual(sent);
  expect(appBytes(trace, 'server', 'write')).toEqual(reply);
  expect(appBytes(trace, 'client', 'read')).toEqual(reply);
  return { syn, synack, all, fromClient, sent, reply };
}

function teardown(all: Segment[]): Segment[] {
  const first = all.findIndex((s) => hasFlags(s, 'FIN') || hasFlags(s, 'RST'));
  return first < 0 ? [] : all.slice(first);
}

function expectCommon(trace: Trace, live: TraceEvent[], lang: ProgramLang) {
  expect(trace.outcome).toEqual({ ok: true });
  expect(Value.Check(TraceSchema, trace)).toBe(true);
  // Live events are the trace's events, in the same order.
  expect(live).toEqual(trace.events);
  expect(trace.events.map((e) => e.seq)).toEqual(trace.events.map((_, i) => i));
  // The programs are the students' own code: the lab notes only what it set up.
  expect(noteIndex(trace, 'handshake.connect')).toBeGreaterThanOrEqual(0);
  expect(trace.programs?.map((p) => p.lang)).toEqual([lang, lang]);
  expect(trace.counters.packets).toBe(trace.events.filter((e) => e.kind === 'wire').length);
  expect(trace.counters.truncated).toBe(0);
}

describe.each([
  ['python', 4],
  ['python', 6],
  ['node', 4],
  ['node', 6],
] as const)('handshake of the %s programs over IPv%i', (lang, ipVersion) => {
  const host = ipVersion === 6 ? '[::1]' : '127.0.0.1';

  it('end by the client: SYN, SYN-ACK, ACK, data both ways, FIN from the client, client in TIME_WAIT', async (t) => {
    if (!capture.available) t.skip();
    const message = 'hello, sockets';
    const { trace, live } = await run(lang, { ipVersion, message });
    expectCommon(trace, live, lang);
    expect(trace.lanes).toHaveLength(1);
    expect(trace.lanes[0]!.client.startsWith(`${host}:`)).toBe(true);
    expect(trace.lanes[0]!.server.startsWith(`${host}:`)).toBe(true);
    const { all, fromClient } = checkData(trace, message);
    expect(all.every((s) => s.event.lane === trace.lanes[0]!.id)).toBe(true);
    expect(all.every((s) => s.event.decoded.summary.ip === ipVersion)).toBe(true);

    const down = teardown(all);
    const fins = down.filter((s) => hasFlags(s, 'FIN'));
    expect(fins).toHaveLength(2);
    expect(fromClient(fins[0]!)).toBe(true);
    expect(fromClient(fins[1]!)).toBe(false);
    const last = down[down.length - 1]!;
    expect(fromClient(last) && last.flags).toEqual(['ACK']);
    expect(last.ack).toBe(seqAdd(fins[1]!.seq, 1));
    expect(down.some((s) => hasFlags(s, 'RST'))).toBe(false);

    const timeWait = socketEvents(trace, 'state').filter((e) => e.state === 'TIME_WAIT');
    expect(timeWait.map((e) => e.actor)).toEqual(['client']);
    expect(socketEvents(trace, 'state').some((e) => e.actor === 'server' && e.state === 'LISTEN')).toBe(true);
    expect(socketEvents(trace, 'state').some((e) => e.actor === 'client' && e.state === 'ESTABLISHED')).toBe(true);
  });

  it('events on one clock: a write comes before its packet, the read after it', async (t) => {
    if (!capture.available) t.skip();
    const { trace } = await run(lang, { ipVersion });
    const { all, fromClient } = connection(trace);
    const data = all.find((s) => fromClient(s) && s.payload.length > 0)!;
    const write = trace.events.find((e) => e.kind === 'app' && e.actor === 'client' && e.op === 'write')!;
    const read = trace.events.find((e) => e.kind === 'app' && e.actor === 'server' && e.op === 'read' && e.size > 0)!;
    expect(write.t).toBeLessThan(data.event.t);
    expect(data.event.t).toBeLessThan(read.t);
    expect(write.seq).toBeLessThan(data.event.seq);
    expect(data.event.seq).toBeLessThan(read.seq);
    const connect = socketEvents(trace, 'connect')[0]!;
    expect(connect.t).toBeLessThan(all[0]!.event.t);
  });

  it('end-after-pause by the server: four teardown segments, the server in TIME_WAIT', async (t) => {
    if (!capture.available) t.skip();
    const { trace, live } = await run(lang, { ipVersion, closer: 'server', close: 'end-after-pause', pauseMs: 300 });
    expectCommon(trace, live, lang);
    const { all, fromClient } = checkData(trace, 'hello');
    const down = teardown(all);
    expect(down.map((s) => [fromClient(s) ? 'client' : 'server', s.flags.join('+')])).toEqual([
      ['server', 'ACK+FIN'],
      ['client', 'ACK'],
      ['client', 'ACK+FIN'],
      ['server', 'ACK'],
    ]);
    expect(down[1]!.ack).toBe(seqAdd(down[0]!.seq, 1));
    expect(down[3]!.ack).toBe(seqAdd(down[2]!.seq, 1));
    // The client read end of stream before it ended its own side.
    const eof = trace.events.findIndex((e) => e.kind === 'app' && e.actor === 'client' && e.op === 'read' && e.size === 0);
    // Python: close(); Node: end().
    const clientEnd = trace.events.findIndex((e) => e.kind === 'socket' && e.actor === 'client' && (e.op === 'end' || e.op === 'destroy'));
    expect(eof).toBeGreaterThan(0);
    expect(clientEnd).toBeGreaterThan(eof);
    const states = socketEvents(trace, 'state');
    expect(states.filter((e) => e.state === 'TIME_WAIT').map((e) => e.actor)).toEqual(['server']);
    expect(states.some((e) => e.actor === 'client' && e.state === 'CLOSE_WAIT')).toBe(true);
  });

  it('destroy: the closer resets the connection, no FIN', async (t) => {
    if (!capture.available) t.skip();
    const { trace, live } = await run(lang, { ipVersion, close: 'reset' });
    expectCommon(trace, live, lang);
    const { all, fromClient } = checkData(trace, 'hello');
    const down = teardown(all);
    expect(down.length).toBeGreaterThan(0);
    expect(hasFlags(down[0]!, 'RST')).toBe(true);
    expect(fromClient(down[0]!)).toBe(true);
    expect(all.some((s) => hasFlags(s, 'FIN'))).toBe(false);
    expect(socketEvents(trace, 'reset').some((e) => e.actor === 'client')).toBe(true);
    expect(socketEvents(trace, 'state').some((e) => e.state === 'TIME_WAIT')).toBe(false);
  });

  it('closed port: SYN answered by RST/ACK, connect fails with ECONNREFUSED', async (t) => {
    if (!capture.available) t.skip();
    const { trace, live } = await run(lang, { ipVersion, target: 'closed-port' });
    expect(trace.outcome).toEqual({ ok: true });
    expect(live).toEqual(trace.events);
    const all = segments(trace);
    expect(all.map((s) => s.flags.join('+'))).toEqual(['SYN', 'ACK+RST']);
    expect(all[1]!.ack).toBe(seqAdd(all[0]!.seq, 1));
    expect(all[0]!.from).toBe(trace.lanes[0]!.client);
    const errors = socketEvents(trace, 'error');
    expect(errors.map((e) => [e.actor, e.code])).toEqual([['client', 'ECONNREFUSED']]);
    expect(socketEvents(trace, 'connected')).toHaveLength(0);
  });
});

/** What the line behind each kind of event must call, and the lines behind packets, in each language. */
const LINES = {
  python: {
    calls: {
      bind: /\.bind\(/,
      listen: /\.listen\(/,
      connect: /\.connect\(/,
      connected: /\.connect\(/,
      accept: /\.accept\(\)/,
      end: /\.shutdown\(socket\.SHUT_WR\)/,
      destroy: /\.close\(\)/,
      reset: /\.close\(\)/,
      close: /\.close\(\)/,
      error: /\.recv\(|\.connect\(/,
      write: /\.sendall\(/,
      read: /\.recv\(/,
    } as Record<string, RegExp>,
    connect: 'client: sk.connect((HOST, PORT))           # SYN, SYN-ACK, ACK: returns once connected',
    clientData: 'client: sk.sendall(MESSAGE.encode())',
    serverData: 'server: conn.sendall(data.upper())         # the reply',
    serverReset: 'server: conn.close()',
    clientFin: 'client: sk.shutdown(socket.SHUT_WR)    # FIN: nothing more to send',
  },
  node: {
    calls: {
      listen: /\.listen\(/,
      connect: /net\.createConnection\(/,
      connected: /net\.createConnection\(/,
      accept: /net\.createServer\(/,
      end: /\.end\(\)/,
      destroy: /\.destroy\(\)/,
      reset: /\.resetAndDestroy\(\)/,
      close: /\.close\(\)/,
      error: /net\.createConnection\(|\.on\('error'/,
      write: /\.write\(/,
      read: /\.(on|once)\('(data|end)'/,
    } as Record<string, RegExp>,
    connect: "client: const sk = net.createConnection({ host: HOST, port: PORT, allowHalfOpen: true });  // SYN, SYN-ACK, ACK",
    clientData: 'client: sk.write(MESSAGE);',
    serverData: 'server: conn.write(data.toString().toUpperCase()); // the reply',
    serverReset: 'server: conn.resetAndDestroy();                // SO_LINGER 0: RST instead of FIN',
    clientFin: 'client: sk.end();                                // FIN: nothing more to send',
  },
} as const;

/** The text of a line of an actor's program, as it ran. */
const lineOf = (trace: Trace, actor: string, line: number) =>
  trace.programs!.find((p) => p.actor === actor)!.source.split('\n')[line - 1]!;

describe.each(['python', 'node'] as const)('the %s programs, line by line', (lang) => {
  const ext = lang === 'python' ? 'py' : 'js';
  const { calls } = LINES[lang];

  it.each([
    [{ closer: 'server', close: 'end-after-pause', pauseMs: 50 }],
    [{ close: 'end-after-pause', pauseMs: 50 }],
    [{ close: 'reset' }],
    [{ closer: 'server', close: 'reset' }],
    [{ target: 'closed-port' }],
    [{ target: 'closed-port', ipVersion: 6 }],
  ])('every call the programs made points at the line that made it: %j', async (params, t) => {
    if (!capture.available) t.skip();
    const { trace } = await run(lang, params);
    expect(trace.programs?.map((p) => [p.actor, p.name, p.lang, p.edited])).toEqual(
      params.target === 'closed-port'
        ? [['client', `client.${ext}`, lang, false]]
        : [['server', `server.${ext}`, lang, false], ['client', `client.${ext}`, lang, false]],
    );
    const calls_ = trace.events.filter((e) => (e.kind === 'socket' && e.op !== 'state') || e.kind === 'app');
    expect(calls_.length).toBeGreaterThanOrEqual(params.target === 'closed-port' ? 2 : 8);
    for (const e of calls_) {
      if (e.kind !== 'socket' && e.kind !== 'app') continue;
      expect(e.line, `${e.actor} ${e.op} has a line`).toBeDefined();
      expect(lineOf(trace, e.actor, e.line!), `${e.actor} ${e.op} at line ${e.line}`).toMatch(calls[e.op]!);
    }
  });

  it('a packet points at the call that sent it, or says the kernel sent it on its own', async (t) => {
    if (!capture.available) t.skip();
    const want = LINES[lang];
    for (const params of [{}, { closer: 'server', close: 'reset' }]) {
      const { trace } = await run(lang, params);
      const causes = trace.events.flatMap((e) => {
        if (e.kind !== 'wire') return [];
        const cause = causeOfPacket(trace.events, e.seq, trace.lanes);
        const flags = [...(e.decoded.summary.flags ?? [])].sort().join('+') + (e.decoded.summary.payloadLength > 0 ? '+data' : '');
        return [[flags, cause === 'kernel' || cause === null ? cause : `${cause.actor}: ${lineOf(trace, cause.actor, cause.line).trim()}`]];
      });
      expect(causes.slice(0, 4)).toEqual([
        ['SYN', want.connect],
        ['ACK+SYN', 'kernel'],
        ['ACK', 'kernel'],
        ['ACK+PSH+data', want.clientData],
      ]);
      expect(causes).toContainEqual(['ACK+PSH+data', want.serverData]);
      if (params.close === 'reset') expect(causes.at(-1)).toEqual(['ACK+RST', want.serverReset]);
      else expect(causes.find((c) => c[0]!.includes('FIN'))).toEqual(['ACK+FIN', want.clientFin]);
    }
  });
});

describe('the Python programs', () => {
  it("runs the programs with this run's settings written in, and shows what they printed", async (t) => {
    if (!capture.available) t.skip();
    const { trace } = await run('python', { message: 'ni hao', ipVersion: 6 });
    const client = trace.programs!.find((p) => p.actor === 'client')!.source;
    expect(client).toMatch(/^MESSAGE = 'ni hao'$/m);
    expect(client).toMatch(/^HOST = '::1'$/m);
    const port = Number(/^PORT = (\d+)$/m.exec(client)![1]);
    expect(trace.lanes[0]!.server).toBe(`[::1]:${port}`);
    const printed = trace.events.flatMap((e) => (e.kind === 'program' && e.op === 'output' ? [`${e.actor}: ${e.text}`] : []));
    expect(printed).toContain("client: reply: b'NI HAO'\n");
    const exits = trace.events.flatMap((e) => (e.kind === 'program' && e.op === 'exit' ? [[e.actor, e.code]] : []));
    expect(exits.sort()).toEqual([['client', 0], ['server', 0]]);
  });

  it('an edited client: its own calls are recorded, and its source is saved with the run', async (t) => {
    if (!capture.available) t.skip();
    const source = [
      'import socket',
      "HOST = '127.0.0.1'",
      'PORT = 9000',
      'sk = socket.create_connection((HOST, PORT))',
      "sk.sendall(b'one')",
      "sk.sendall(b'two')",
      'sk.close()',
    ].join('\n');
    const live: TraceEvent[] = [];
    const trace = await runExperiment({ experiment: 'handshake', params: {}, capture, lang: 'python', programs: { 'client.py': source }, onEvent: (e) => live.push(e) });
    const program = trace.programs!.find((p) => p.actor === 'client')!;
    expect(program.edited).toBe(true);
    expect(program.source).toContain("sk.sendall(b'two')");
    const writes = trace.events.filter((e) => e.kind === 'app' && e.actor === 'client' && e.op === 'write');
    expect(writes.map((e) => e.kind === 'app' && [Buffer.from(e.data, 'base64').toString(), e.line])).toEqual([
      ['one', 5],
      ['two', 6],
    ]);
    expect(appBytes(trace, 'server', 'read').toString()).toContain('one');
  });

  it('a SyntaxError in an edited client: an exception at its line, the waiting server stopped, the run over', async (t) => {
    if (!capture.available) t.skip();
    const trace = await runExperiment({
      experiment: 'handshake',
      params: {},
      capture,
      lang: 'python',
      programs: { 'client.py': 'import socket\nsk = socket.socket()\nsk.connect((HOST, PORT)\nprint(1)\n' },
    });
    expect(trace.outcome).toEqual({ ok: true });
    const failure = trace.events.find((e) => e.kind === 'program' && e.op === 'exception');
    expect(failure?.kind === 'program' && [failure.actor, failure.error?.type, failure.line]).toEqual(['client', 'SyntaxError', 3]);
    const stderr = trace.events.flatMap((e) => (e.kind === 'program' && e.stream === 'stderr' ? [e.text] : [])).join('');
    expect(stderr).toContain('SyntaxError');
    expect(stderr).not.toContain('labtrace');
    const exits = Object.fromEntries(trace.events.flatMap((e) => (e.kind === 'program' && e.op === 'exit' ? [[e.actor, e.signal ?? e.code]] : [])));
    expect(exits).toEqual({ client: 1, server: 'SIGKILL' });
    expect(trace.events.some((e) => e.kind === 'wire')).toBe(false);
  });

});

describe('the Node.js programs', () => {
  it("runs the programs with this run's settings written in, and shows what they printed", async (t) => {
    if (!capture.available) t.skip();
    const { trace } = await run('node', { message: 'ni hao', ipVersion: 6 });
    const client = trace.programs!.find((p) => p.actor === 'client')!.source;
    expect(client).toMatch(/^const MESSAGE = "ni hao";$/m);
    expect(client).toMatch(/^const HOST = "::1";$/m);
    const port = Number(/^const PORT = (\d+);$/m.exec(client)![1]);
    expect(trace.lanes[0]!.server).toBe(`[::1]:${port}`);
    const printed = trace.events.flatMap((e) => (e.kind === 'program' && e.op === 'output' ? [`${e.actor}: ${e.text}`] : []));
    expect(printed).toContain('client: reply: NI HAO\n');
    expect(printed).toContain(`server: listening on ${port}\n`);
    const exits = trace.events.flatMap((e) => (e.kind === 'program' && e.op === 'exit' ? [[e.actor, e.code]] : []));
    expect(exits.sort()).toEqual([['client', 0], ['server', 0]]);
  });

  it('an edited client: its own calls are recorded, and its source is saved with the run', async (t) => {
    if (!capture.available) t.skip();
    const source = [
      "const net = require('node:net');",
      "const HOST = '127.0.0.1';",
      'const PORT = 9000;',
      'const sk = net.createConnection({ host: HOST, port: PORT }, () => {',
      "  sk.write('one');",
      "  sk.write(Buffer.from('two'));",
      '  sk.end();',
      '});',
    ].join('\n');
    const trace = await runExperiment({ experiment: 'handshake', params: {}, capture, lang: 'node', programs: { 'client.js': source } });
    const program = trace.programs!.find((p) => p.actor === 'client')!;
    expect(program.edited).toBe(true);
    const writes = trace.events.filter((e) => e.kind === 'app' && e.actor === 'client' && e.op === 'write');
    expect(writes.map((e) => e.kind === 'app' && [Buffer.from(e.data, 'base64').toString(), e.line])).toEqual([
      ['one', 5],
      ['two', 6],
    ]);
    expect(appBytes(trace, 'server', 'read').toString()).toContain('one');
  });

  it("a server without allowHalfOpen: Node ends it when the client's FIN arrives, at the line that made the socket", async (t) => {
    if (!capture.available) t.skip();
    const server = [
      "const net = require('node:net');",
      "const HOST = '127.0.0.1';",
      'const PORT = 9000;',
      'const server = net.createServer((conn) => {',
      '  conn.on(\'data\', (data) => conn.write(data));',
      "  conn.on('close', () => server.close());",
      '});',
      'server.listen(PORT, HOST);',
    ].join('\n');
    const trace = await runExperiment({ experiment: 'handshake', params: {}, capture, lang: 'node', programs: { 'server.js': server } });
    const ends = trace.events.filter((e) => e.kind === 'socket' && e.op === 'end').map((e) => e.kind === 'socket' && [e.actor, e.line]);
    expect(ends).toEqual([['client', 22], ['server', 4]]);
    const fins = trace.events.filter((e) => e.kind === 'wire' && e.decoded.summary.flags?.includes('FIN'));
    const causes = fins.map((e) => {
      const cause = causeOfPacket(trace.events, e.seq, trace.lanes);
      return cause === 'kernel' || cause === null ? cause : `${cause.actor}: ${lineOf(trace, cause.actor, cause.line).trim()}`;
    });
    expect(causes).toEqual([LINES.node.clientFin, 'server: const server = net.createServer((conn) => {']);
  });

  it('a SyntaxError, or an exception, in an edited client: an error at its line, the waiting server stopped', async (t) => {
    if (!capture.available) t.skip();
    for (const [source, type, line] of [
      ["const net = require('node:net');\nconst sk = net.createConnection({ port: PORT );\nconsole.log(1);\n", 'SyntaxError', 2],
      ["const net = require('node:net');\nfunction reply(sk) {\n  return sk.nothing.length;\n}\nreply({});\n", 'TypeError', 3],
    ] as const) {
      const trace = await runExperiment({ experiment: 'handshake', params: {}, capture, lang: 'node', programs: { 'client.js': source } });
      expect(trace.outcome).toEqual({ ok: true });
      const failure = trace.events.find((e) => e.kind === 'program' && e.op === 'exception');
      expect(failure?.kind === 'program' && [failure.actor, failure.error?.type, failure.line]).toEqual(['client', type, line]);
      const stderr = trace.events.flatMap((e) => (e.kind === 'program' && e.stream === 'stderr' ? [e.text] : [])).join('');
      expect(stderr).toContain(type);
      expect(stderr).toContain(`client.js:${line}`);
      expect(stderr).not.toMatch(/labtrace|node:internal/);
      const exits = Object.fromEntries(trace.events.flatMap((e) => (e.kind === 'program' && e.op === 'exit' ? [[e.actor, e.signal ?? e.code]] : [])));
      expect(exits).toEqual({ client: 1, server: 'SIGKILL' });
    }
  });

  it('an unknown program or language is refused before anything runs', async () => {
    await expect(runExperiment({ experiment: 'handshake', params: {}, capture, lang: 'python', programs: { 'evil.py': 'x' } })).rejects.toMatchObject({ code: 'PROGRAM_UNKNOWN' });
    await expect(runExperiment({ experiment: 'handshake', params: {}, capture, lang: 'ruby' as ProgramLang })).rejects.toMatchObject({ code: 'LANG_UNSUPPORTED' });
  });
});
