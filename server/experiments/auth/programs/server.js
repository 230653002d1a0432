// The server checks that a client is legitimate: it sends a fresh random challenge, and only a
// client holding the same key can answer it correctly. The key itself never crosses the wire.
const crypto = require('node:crypto');
const net = require('node:net');
const { messages, frame } = require('./messages.js');

let step;
try {
  ({ step } = require('socketlab'));           // in the lab: the verdict is shown on the page
} catch {
  step = (key, values) => console.log(key, values ?? '');
}

// This run's settings (the lab writes them here before it runs the program).
const HOST = '127.0.0.1';
const PORT = 9000;
const KEY = 'egg';                 // the shared secret (the course: b'egg')
const SCHEME = 'hmac-md5';         // 'hmac-md5', 'hmac-sha256', or 'md5-hex': md5(key + challenge) as hex text
const COMPARE = 'compare_digest';  // 'compare_digest': crypto.timingSafeEqual; '==': stops at the first differing byte
const FRAMED = false;              // false: one read per message, as the course; true: a 4-byte length first
const DELAY = 0;                   // seconds the server is busy before it reads the answer
const CONNECTIONS = 1;             // clients served, one after another

const secretKey = Buffer.from(KEY);

function expectedAnswer(challenge) {
  if (SCHEME === 'md5-hex') {
    return Buffer.from(crypto.createHash('md5').update(secretKey).update(challenge).digest('hex'));   // 32 hex characters
  }
  if (SCHEME === 'hmac-sha256') return crypto.createHmac('sha256', secretKey).update(challenge).digest();   // 32 raw bytes
  return crypto.createHmac('md5', secretKey).update(challenge).digest();   // HMAC-MD5: 16 raw bytes
}

function same(a, b) {
  if (COMPARE === '==') return a.equals(b);
  return a.length === b.length && crypto.timingSafeEqual(a, b);   // constant time (for equal lengths)
}

async function serve(conn) {
  const challenge = crypto.randomBytes(32);    // fresh for every connection: an old answer is worthless
  step('auth.challenge', { bytes: challenge.length }, { challenge: challenge.toString('hex') });
  conn.write(frame(challenge, FRAMED));
  // Busy with other work (this blocks Node's event loop): what arrives meanwhile waits in the kernel,
  // and Node's next read takes all of it at once.
  for (const until = Date.now() + DELAY * 1000; Date.now() < until;);
  const next = messages(conn, FRAMED);
  conn.resume();
  const answer = await next();
  const expected = expectedAnswer(challenge);
  const started = process.hrtime.bigint();
  const legitimate = same(answer, expected);
  const took = Number(process.hrtime.bigint() - started);
  const differ = [];
  for (let i = 0; i < Math.max(answer.length, expected.length); i++) if (answer[i] !== expected[i]) differ.push(i);
  step('auth.verdict', { result: legitimate ? 'accepted' : 'rejected', received: answer.length, expected: expected.length, compare: COMPARE, compareNs: took },
    { received: answer.toString('hex'), expected: expected.toString('hex'), challenge: challenge.toString('hex'), differingBytes: differ.length, firstDifference: differ[0] ?? null });
  if (legitimate) {
    conn.write(frame(Buffer.from('welcome'), FRAMED));
    const message = await next();              // the client's next message, if any
    if (message.length > 0) conn.write(frame(Buffer.from(message.toString().toUpperCase()), FRAMED));
  } else {
    conn.write(frame(Buffer.from('denied'), FRAMED));
  }
  conn.end();
}

let served = 0;
const queue = [];
let busy = false;
async function drain() {
  if (busy) return;
  busy = true;
  while (queue.length > 0) {
    await serve(queue.shift());
    if (++served === CONNECTIONS) server.close();
  }
  busy = false;
}
const server = net.createServer((conn) => {   // once the three-way handshake is done
  conn.on('error', () => {});
  conn.pause();                                // one client at a time: the others wait their turn
  queue.push(conn);
  drain();
});
server.listen(PORT, HOST);
