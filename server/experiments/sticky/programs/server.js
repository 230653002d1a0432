const net = require('node:net');

// This run's settings (the lab writes them here before it runs the program).
const HOST = '127.0.0.1';
const PORT = 9000;
const WARMUP = 0;          // ping-pong rounds before the messages
const READ_DELAY = 0;      // seconds to wait before reading (data waits in the kernel)
const FRAMING = 'none';    // 'none', 'length' (4-byte length first), 'delimiter' ('\n' after), 'fixed'
const FIXED_SIZE = 0;      // 'fixed': every message is FIXED_SIZE bytes, padded with zero bytes
const SHOW = 20;           // print at most this many messages
// Node reads whatever has arrived (up to 64 KiB at a time): it has no recv(1024).

let count = 0;
function got(message) {
  count++;
  if (count <= SHOW) console.log('message', count, JSON.stringify(message.toString('latin1')));
}

/** Takes every whole message off the front of buffer; returns what is left. */
function cut(buffer) {
  for (;;) {
    if (FRAMING === 'length') {
      if (buffer.length < 4) return buffer;
      const n = buffer.readUInt32BE(0);                // the length the sender put first
      if (buffer.length < 4 + n) return buffer;        // the rest of the message has not come yet
      got(buffer.subarray(4, 4 + n));
      buffer = buffer.subarray(4 + n);
    } else if (FRAMING === 'delimiter') {
      const end = buffer.indexOf('\n');
      if (end < 0) return buffer;
      got(buffer.subarray(0, end));
      buffer = buffer.subarray(end + 1);
    } else {  // 'fixed'
      if (buffer.length < FIXED_SIZE) return buffer;
      let end = FIXED_SIZE;
      while (end > 0 && buffer[end - 1] === 0) end--;  // take the zero padding off
      got(buffer.subarray(0, end));
      buffer = buffer.subarray(FIXED_SIZE);
    }
  }
}

// pauseOnConnect: Node reads nothing from the kernel until resume().
const server = net.createServer({ pauseOnConnect: true }, (conn) => {
  let warmup = WARMUP;
  let buffer = Buffer.alloc(0);
  conn.on('data', (data) => {        // whatever has arrived since the last read
    if (warmup > 0) {
      warmup--;
      conn.write('pong');            // the answer to 'ping'
      if (warmup === 0 && READ_DELAY > 0) {
        conn.pause();
        setTimeout(() => conn.resume(), READ_DELAY * 1000);
      }
      return;
    }
    if (FRAMING === 'none') {
      got(data);                     // no framing: each read is taken for one message
    } else {
      buffer = cut(Buffer.concat([buffer, data]));
    }
  });
  conn.on('end', () => {             // the client closed
    if (buffer.length > 0) console.log(buffer.length, 'bytes left over: not a whole message');
    console.log(count, 'messages');
    conn.end();
    server.close();
  });
  // Read nothing yet: what arrives waits in the kernel's receive buffer.
  setTimeout(() => conn.resume(), WARMUP === 0 ? READ_DELAY * 1000 : 0);
});
server.listen(PORT, HOST, () => console.log('listening on', PORT));
