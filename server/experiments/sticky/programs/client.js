const net = require('node:net');
const { once } = require('node:events');

// This run's settings (the lab writes them here before it runs the program).
const HOST = '127.0.0.1';
const PORT = 9000;
const MESSAGES = 'hello|world|how|are|you';  // the messages to send, separated by |
const COUNT = 0;           // more than 0: send COUNT made-up messages of SIZE bytes instead
const SIZE = 100;
const NAGLE = true;        // false: setNoDelay(true), every small write goes out at once
const CORK = false;        // true: cork() holds the writes back in Node until uncork()
const GAP = 0;             // seconds to wait between two writes
const WARMUP = 0;          // ping-pong rounds on the connection before the messages
const ONE_WRITE = false;   // true: one write() for all the messages
const FRAMING = 'none';    // 'none', 'length' (4-byte length first), 'delimiter' ('\n' after), 'fixed'
const FIXED_SIZE = 0;      // 'fixed': every message is padded with zero bytes to this size

function makeMessages() {
  if (COUNT > 0) {
    // Message i is easy to recognise: its number, then one letter repeated ('00007:hhhh').
    return Array.from({ length: COUNT }, (_, i) =>
      Buffer.from((String(i).padStart(5, '0') + ':' + String.fromCharCode(97 + (i % 26)).repeat(SIZE)).slice(0, SIZE)));
  }
  return MESSAGES.split('|').map((text) => Buffer.from(text));
}

/** The bytes that go on the stream for one message. */
function frame(message) {
  if (FRAMING === 'length') {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(message.length);                 // 4 bytes, big-endian: the length
    return Buffer.concat([head, message]);
  }
  if (FRAMING === 'delimiter') return Buffer.concat([message, Buffer.from('\n')]);  // then a newline
  if (FRAMING === 'fixed') return Buffer.concat([message, Buffer.alloc(FIXED_SIZE - message.length)]);  // always FIXED_SIZE bytes
  return message;                                       // no framing: just the bytes
}

const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

async function main() {
  const sk = net.createConnection({ host: HOST, port: PORT });
  sk.setNoDelay(!NAGLE);
  await once(sk, 'connect');

  for (let i = 0; i < WARMUP; i++) {
    sk.write('ping');                // a small request...
    await once(sk, 'data');          // ...and the server's 'pong'
  }

  const messages = makeMessages();
  if (CORK) sk.cork();               // Node keeps the writes until uncork(), then hands them to the kernel at once
  if (ONE_WRITE) {
    sk.write(Buffer.concat(messages.map(frame)));
  } else {
    for (let i = 0; i < messages.length; i++) {
      if (i > 0 && GAP > 0) await sleep(GAP);
      sk.write(frame(messages[i]));
    }
  }
  if (CORK) sk.uncork();
  console.log('sent', messages.length, 'messages');

  sk.end();                          // FIN: nothing more to send
  sk.resume();                       // read on until the server closes too
  await once(sk, 'close');
}

main();
