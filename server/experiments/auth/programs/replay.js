// An eavesdropper replays an answer it saw on an earlier connection. The server's new challenge
// is different, so the old answer no longer fits.
const net = require('node:net');
const { messages, frame } = require('./messages.js');

let step;
try {
  ({ step } = require('socketlab'));
} catch {
  step = (key, values, data) => console.log(key, values ?? '', data ?? '');
}

// This run's settings (the lab writes them here before it runs the program).
const HOST = '127.0.0.1';
const PORT = 9000;
const OLD_ANSWER = '';        // the answer seen on the wire earlier, in hex
const FRAMED = false;         // as the server: a 4-byte length before each message

const sk = net.createConnection({ host: HOST, port: PORT });
const next = messages(sk, FRAMED);
sk.on('connect', async () => {
  const challenge = await next();              // a new challenge
  step('auth.replay', {}, { newChallenge: challenge.toString('hex'), oldAnswer: OLD_ANSWER });
  sk.write(frame(Buffer.from(OLD_ANSWER, 'hex'), FRAMED));   // no key needed to copy bytes
  console.log('verdict:', (await next()).toString());
  sk.end();
});
