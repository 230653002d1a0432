/**
 * Runs a student's Node.js program and reports every socket call it makes, as it makes it.
 *
 *     node --require labtrace.cjs PROGRAM.js [ARGS...]
 *
 * Loaded before the program, it wraps the methods of `net.Socket` and `net.Server` (so
 * `net.createConnection`, `net.createServer`, `new net.Socket()` all show through) and reports,
 * as labtrace.py does for Python, one JSON object per line on file descriptor 3: the call, its
 * endpoints, the exact bytes written or read, its error, the time (the system's real-time clock,
 * as tcpdump stamps packets) and the line of the program that made it. Reports after which the
 * kernel's TCP state matters (connected, accepted, listening, end of stream, closed) wait until
 * the lab has read the kernel's socket table: it answers with one byte on file descriptor 4.
 *
 * Node does some socket work for the program, so some lines are where the program asked for it:
 * - connect: the line of `net.createConnection()` / `socket.connect()`; the socket is bound to
 *   the address it connects to right before the SYN (as labtrace.py does), so its port is known.
 * - accept: Node accepts as soon as the handshake is done; the line is where the program gave
 *   its `'connection'` listener (`net.createServer((conn) => ...)`).
 * - read: Node reads from the kernel for the program as soon as bytes arrive; the read is
 *   reported then, at the line of the program's `'data'` listener (end of stream: its `'end'`
 *   listener), else the line that made the socket.
 * - end(): reported when called; the FIN goes once what was written before it is sent. Node ends
 *   a socket by itself when the peer's FIN arrives, unless `allowHalfOpen` is set: that end() is
 *   reported at the line that made the socket (as are writes Node makes for `pipe()`).
 * - A socket Node closes by itself (both sides ended) is not a call; its states are read then.
 *
 * What it cannot see: sockets made without `net` (`tls`/`http` use it and show through; native
 * addons, `dgram`, a `net.Socket` with the `onread` option), and reads taken with `onread`.
 * What the program prints through `process.stdout`/`process.stderr` (so `console.log`) is
 * reported in order with its calls; an uncaught exception is printed with the program's own
 * stack lines and reported with its line.
 */
'use strict';

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { pathToFileURL } = require('node:url');

const REPORT_FD = 3;
const ACK_FD = 4;

const programArg = process.argv[1] ? path.resolve(process.argv[1]) : '';
const programFiles = new Set([programArg, pathToFileURL(programArg).href]);
const runtimeFile = __filename;

/** Microseconds since 1970 on the real-time clock. */
function nowUs() {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

let reporting = true;
function send(message, wait = false) {
  if (!reporting) return;
  message.wait = wait;
  try {
    fs.writeSync(REPORT_FD, `${JSON.stringify(message)}\n`);
  } catch {
    reporting = false;
    return;
  }
  if (!wait) return;
  const one = Buffer.alloc(1);
  for (;;) {
    try {
      if (fs.readSync(ACK_FD, one, 0, 1, null) <= 0) reporting = false;
      return;
    } catch (err) {
      if (err.code !== 'EAGAIN') return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/** The program's frames in a structured stack (V8's call sites), innermost first. */
function programSites(skip) {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  Error.prepareStackTrace = (_, sites) => sites;
  Error.stackTraceLimit = 64;
  const holder = {};
  Error.captureStackTrace(holder, skip);
  const sites = holder.stack;
  Error.prepareStackTrace = prepare;
  Error.stackTraceLimit = limit;
  return Array.isArray(sites) ? sites.filter((s) => programFiles.has(s.getFileName())) : [];
}

/** The line of the program that made the call now going on: its innermost frame; null when none. */
function callerLine() {
  const [site] = programSites(callerLine);
  return site ? site.getLineNumber() : null;
}

/** `127.0.0.1:9000`; IPv6 in brackets. */
function endpoint(address, port) {
  if (typeof address !== 'string' || typeof port !== 'number' || port === 0) return undefined;
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

// What the lab knows of each socket and server.
const LAB = Symbol('labtrace');
function labOf(target) {
  if (!target[LAB]) target[LAB] = { line: null, ends: {}, listeners: {}, called: false, connected: false };
  return target[LAB];
}

/** Inside a call already being reported (Node's own methods call each other): report only the outer one. */
let depth = 0;
function reported(fn) {
  return function (...args) {
    depth++;
    try {
      return fn.apply(this, args);
    } finally {
      depth--;
    }
  };
}

function ends(socket) {
  const lab = labOf(socket);
  const found = {
    local: endpoint(socket.localAddress, socket.localPort),
    remote: endpoint(socket.remoteAddress, socket.remotePort),
  };
  for (const key of ['local', 'remote']) if (found[key]) lab.ends[key] = found[key];
  return { ...lab.ends };
}

function socketReport(socket, op, line, extra = {}, wait = false, at = nowUs()) {
  const message = { ev: 'socket', op, t: at, line, transport: 'tcp', ...ends(socket) };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined && value !== null) message[key] = value;
  send(message, wait);
}

function appReport(socket, op, bytes, line, at, wait = false) {
  send(
    { ev: 'app', op, t: at, line, transport: 'tcp', size: bytes.length, data: Buffer.from(bytes).toString('base64'), ...ends(socket) },
    wait,
  );
}

/** The line a read is reported at: the program's listener for it, else the line that made the socket. */
function readLine(socket, eof) {
  const lab = labOf(socket);
  return (eof ? lab.listeners.end : undefined) ?? lab.listeners.data ?? lab.listeners.readable ?? lab.line;
}

function toBytes(chunk, encoding) {
  if (typeof chunk === 'string') return Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8');
  if (ArrayBuffer.isView(chunk)) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return null;
}

const SocketProto = net.Socket.prototype;
const ServerProto = net.Server.prototype;
const original = {
  connect: SocketProto.connect,
  write: SocketProto.write,
  end: SocketProto.end,
  destroy: SocketProto.destroy,
  resetAndDestroy: SocketProto.resetAndDestroy,
  push: SocketProto.push,
  emit: SocketProto.emit,
  on: SocketProto.on,
  prependListener: SocketProto.prependListener,
  listen: ServerProto.listen,
  close: ServerProto.close,
  serverEmit: ServerProto.emit,
  serverOn: ServerProto.on,
  serverPrepend: ServerProto.prependListener,
};

/** Remembers where the program gave a listener for the events whose lines reads and accepts take. */
function remember(kind, events) {
  return function (event, listener) {
    if (events.includes(event)) {
      const line = callerLine();
      if (line !== null) labOf(this).listeners[event] = line;
    }
    return original[kind].call(this, event, listener);
  };
}
const SOCKET_LISTENERS = ['data', 'end', 'readable', 'error'];
SocketProto.on = SocketProto.addListener = remember('on', SOCKET_LISTENERS);
SocketProto.prependListener = remember('prependListener', SOCKET_LISTENERS);
ServerProto.on = ServerProto.addListener = remember('serverOn', ['connection']);
ServerProto.prependListener = remember('serverPrepend', ['connection']);

SocketProto.connect = reported(function (...args) {
  const lab = labOf(this);
  if (depth === 1) {
    lab.line = callerLine();
    lab.called = true;
    // Right before connect(2): bound to the address it connects to (as connect(2) would bind
    // itself), so the report names the local port before the SYN.
    original.on.call(this, 'connectionAttempt', (address, port, family) => {
      const handle = this._handle;
      if (!handle || typeof handle.getsockname !== 'function') return;
      const bound = {};
      handle.getsockname(bound);
      if (!bound.port) {
        if (family === 6) handle.bind6(address, 0, 0);
        else handle.bind(address, 0);
      }
      const local = {};
      handle.getsockname(local);
      if (local.port) lab.ends.local = endpoint(local.address, local.port);
      lab.ends.remote = endpoint(address, port);
      socketReport(this, 'connect', lab.line);
    });
  }
  return original.connect.apply(this, args);
});

/**
 * The line a write or end() is reported at: the program's line that called it; a call Node made
 * for the program (`pipe()`, or end() after the peer's FIN without `allowHalfOpen`) takes the line
 * that made the socket. Null: not reported (a call inside another reported call, or an untracked socket).
 */
function callLine(socket) {
  if (depth !== 1) return null;
  const lab = labOf(socket);
  return callerLine() ?? (lab.called ? lab.line : null);
}

SocketProto.write = reported(function (chunk, encoding, ...rest) {
  const at = nowUs();
  const line = callLine(this);
  const result = original.write.call(this, chunk, encoding, ...rest);
  const bytes = toBytes(chunk, encoding);
  if (bytes && line !== null) appReport(this, 'write', bytes, line, at);
  return result;
});

SocketProto.end = reported(function (chunk, encoding, ...rest) {
  const at = nowUs();
  const line = callLine(this);
  const bytes = typeof chunk === 'function' ? null : toBytes(chunk, encoding);
  if (line !== null && bytes && bytes.length > 0) appReport(this, 'write', bytes, line, at);
  const wasEnded = this.writableEnded;
  const result = original.end.call(this, chunk, encoding, ...rest);
  if (line !== null && !wasEnded) socketReport(this, 'end', line, {}, false, at);
  return result;
});

SocketProto.destroy = reported(function (...args) {
  const at = nowUs();
  const line = depth === 1 && !this.destroyed ? callerLine() : null;
  if (line !== null) {
    ends(this);
    const lab = labOf(this);
    socketReport(this, lab.ends.remote ? 'destroy' : 'close', line, {}, false, at);
  }
  return original.destroy.apply(this, args);
});

if (original.resetAndDestroy) {
  SocketProto.resetAndDestroy = reported(function (...args) {
    const at = nowUs();
    const line = depth === 1 && !this.destroyed ? callerLine() : null;
    if (line !== null) socketReport(this, 'reset', line, {}, false, at);
    return original.resetAndDestroy.apply(this, args);
  });
}

SocketProto.push = function (chunk, encoding) {
  if (labOf(this).called && (chunk === null || ArrayBuffer.isView(chunk))) {
    const eof = chunk === null;
    appReport(this, 'read', eof ? Buffer.alloc(0) : chunk, readLine(this, eof), nowUs(), eof);
  }
  return original.push.call(this, chunk, encoding);
};

const STATE_EVENTS = new Set(['finish', 'close']);
SocketProto.emit = function (event, ...args) {
  const lab = this[LAB];
  if (lab?.called) {
    if (event === 'connect') {
      lab.connected = true;
      socketReport(this, 'connected', lab.line, {}, true);
    }
    else if (event === 'error' && args[0] instanceof Error) {
      const err = args[0];
      // A failed connect: the connect's line; later: where the program handles the error, or reads.
      const line = lab.connected ? (lab.listeners.error ?? readLine(this, false)) : lab.line;
      err[LAB] = line;
      socketReport(this, 'error', line, { code: err.code ?? err.name, message: err.message });
    } else if (STATE_EVENTS.has(event)) send({ ev: 'sample' }, true);
  }
  return original.emit.call(this, event, ...args);
};

ServerProto.listen = reported(function (...args) {
  if (depth === 1) labOf(this).line = callerLine();
  return original.listen.apply(this, args);
});

ServerProto.close = reported(function (...args) {
  const line = depth === 1 && this.listening ? callerLine() : null;
  const address = this.address();
  if (line !== null && address && typeof address === 'object') {
    send({ ev: 'socket', op: 'close', t: nowUs(), line, transport: 'tcp', local: endpoint(address.address, address.port) });
  }
  return original.close.apply(this, args);
});

ServerProto.emit = function (event, ...args) {
  const lab = labOf(this);
  if (event === 'listening') {
    const address = this.address();
    if (address && typeof address === 'object') {
      send({ ev: 'socket', op: 'listen', t: nowUs(), line: lab.line, transport: 'tcp', local: endpoint(address.address, address.port) }, true);
    }
  } else if (event === 'connection' && args[0] instanceof net.Socket) {
    const conn = args[0];
    const connLab = labOf(conn);
    connLab.called = true;
    connLab.connected = true;
    connLab.line = lab.listeners.connection ?? lab.line;
    socketReport(conn, 'accept', connLab.line, {}, true);
  }
  return original.serverEmit.call(this, event, ...args);
};

// What the program prints: reported in order with its calls, not written to the terminal.
for (const stream of ['stdout', 'stderr']) {
  const target = process[stream];
  target.write = function (chunk, encoding, callback) {
    const bytes = toBytes(chunk, encoding);
    if (bytes && bytes.length > 0) send({ ev: 'output', stream, t: nowUs(), text: bytes.toString('utf8') });
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') process.nextTick(done);
    return true;
  };
}

/** A refused access in words (Node's own message says only "restricted"). */
function refusal(err) {
  if (err?.code !== 'ERR_ACCESS_DENIED') return '';
  const what = {
    FileSystemRead: `reading ${err.resource} is not allowed in the lab: only files in the program's folder`,
    FileSystemWrite: `writing ${err.resource} is not allowed in the lab: only files in the program's folder`,
    ChildProcess: 'starting a process is not allowed in the lab: a socket program runs on its own',
    WorkerThreads: 'worker threads are not allowed in the lab: a socket program runs on its own',
  }[err.permission];
  return what ?? `${err.permission ?? 'this'} is not allowed in the lab`;
}

/** The error as Node prints it, with only the program's own stack lines. */
function shown(err) {
  if (!(err instanceof Error)) return `Uncaught ${typeof err === 'string' ? JSON.stringify(err) : String(err)}\n`;
  const lines = String(err.stack ?? `${err.name}: ${err.message}`).split('\n');
  const head = [];
  const frames = [];
  for (const line of lines) {
    if (/^\s+at /.test(line)) {
      if (!line.includes(runtimeFile) && !/\(node:|^\s+at node:/.test(line)) frames.push(line);
    } else if (frames.length === 0) head.push(line);
  }
  const why = refusal(err);
  return `${[...head, ...frames].join('\n')}${why ? `\n${why}` : ''}\n`;
}

/** The program's line an error comes from: its innermost frame in the program, else the socket call it came from. */
function errorLine(err) {
  if (err instanceof Error) {
    for (const match of String(err.stack ?? '').matchAll(/^\s+at .*?((?:file:\/\/)?\/[^():]+):(\d+):\d+\)?$/gm)) {
      if (programFiles.has(match[1])) return Number(match[2]);
    }
    const syntax = String(err.stack ?? '').split('\n', 1)[0].match(/^(.*):(\d+)$/);
    if (syntax && programFiles.has(syntax[1])) return Number(syntax[2]);
    if (typeof err[LAB] === 'number') return err[LAB];
  }
  return null;
}

process.on('uncaughtException', (err) => {
  send({ ev: 'output', stream: 'stderr', t: nowUs(), text: shown(err) });
  const type = err instanceof Error ? err.name : typeof err;
  const message = err instanceof Error ? refusal(err) || err.message : String(err);
  send({ ev: 'exception', t: nowUs(), type, message, line: errorLine(err) });
  process.exit(1);
});
