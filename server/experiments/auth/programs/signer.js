// A server that signs messages and accepts any message whose signature checks out. The student
// gets one signed message; only the server knows the key. With SIGN = 'md5' the signature is
// md5(key + message): anyone can extend a signed message without the key (length extension).
// With SIGN = 'hmac' it is HMAC-MD5, and the same forgery fails.
const crypto = require('node:crypto');
const net = require('node:net');
const { messages, frame } = require('./messages.js');

let step;
try {
  ({ step } = require('socketlab'));
} catch {
  step = (key, values) => console.log(key, values ?? '');
}

// This run's settings (the lab writes them here before it runs the program).
const HOST = '127.0.0.1';
const PORT = 9000;
const KEY = 'egg';                           // only the server knows it
const SIGN = 'md5';                          // 'md5': md5(key + message); 'hmac': HMAC-MD5
const MESSAGE = 'user=student&role=guest';   // the one message it signs for the student

const secretKey = Buffer.from(KEY);

function sign(message) {
  if (SIGN === 'hmac') return Buffer.from(crypto.createHmac('md5', secretKey).update(message).digest('hex'));
  return Buffer.from(crypto.createHash('md5').update(secretKey).update(message).digest('hex'));
}

const server = net.createServer(async (conn) => {
  server.close();                            // one client
  const next = messages(conn, true);         // each message with its length first
  const message = Buffer.from(MESSAGE);
  conn.write(Buffer.concat([frame(message, true), frame(sign(message), true)]));
  for (;;) {
    const submitted = await next();          // a message the client wants accepted...
    const tag = await next();                // ...and its signature
    if (submitted.length === 0) break;
    const expected = sign(submitted);
    if (expected.length === tag.length && crypto.timingSafeEqual(expected, tag)) {
      const fields = new Map(submitted.toString('latin1').split('&').filter((p) => p.includes('=')).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
      const role = fields.get('role') ?? '';
      step('auth.signed.verdict', { result: 'accepted', role }, { message: submitted.toString('hex'), tag: tag.toString() });
      conn.write(frame(Buffer.from(`accepted, role=${role}`, 'latin1'), true));
    } else {
      step('auth.signed.verdict', { result: 'rejected', role: '' }, { message: submitted.toString('hex'), tag: tag.toString('latin1') });
      conn.write(frame(Buffer.from('rejected'), true));
    }
  }
  conn.end();
});
server.listen(PORT, HOST);
