// Reading messages from a TCP stream, as the course does and as it should.
//
// messages(socket, framed) gives a function that resolves with the next message:
// - not framed: whatever has arrived, up to 1024 bytes — what one recv(1024) returns;
// - framed: each message has its length first (4 bytes, big-endian): exactly one message.
// Both resolve with an empty buffer at the end of the stream.
function messages(socket, framed) {
  let buffered = Buffer.alloc(0);
  let ended = false;
  const waiting = [];
  function take() {
    if (framed) {
      if (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32BE(0)) {
        const size = buffered.readUInt32BE(0);
        const message = buffered.subarray(4, 4 + size);
        buffered = buffered.subarray(4 + size);
        return message;
      }
    } else if (buffered.length > 0) {
      const message = buffered.subarray(0, 1024);
      buffered = buffered.subarray(1024);
      return message;
    }
    return ended ? Buffer.alloc(0) : null;
  }
  function wake() {
    while (waiting.length > 0) {
      const message = take();
      if (message === null) return;
      waiting.shift()(message);
    }
  }
  socket.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    wake();
  });
  socket.on('end', () => {
    ended = true;
    wake();
  });
  socket.on('error', () => {
    ended = true;
    wake();
  });
  return () => new Promise((resolve) => {
    waiting.push(resolve);
    wake();
  });
}

/** `data` as one message: with its length first when framed. */
function frame(data, framed) {
  if (!framed) return data;
  const header = Buffer.alloc(4);
  header.writeUInt32BE(data.length);
  return Buffer.concat([header, data]);
}

module.exports = { messages, frame };
