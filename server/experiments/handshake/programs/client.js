const net = require('node:net');

// This run's settings (the lab writes them here before it runs the program).
const HOST = '127.0.0.1';
const PORT = 9000;
const MESSAGE = 'hello';
const CLOSER = 'client';   // who closes first: 'client' or 'server'
const CLOSE = 'end';       // 'end': end(); 'end-after-pause': the second side waits; 'reset': RST
const PAUSE = 0.2;         // seconds the second side waits before it closes

// allowHalfOpen: after the server's FIN we may still send, and end() when we choose.
const sk = net.createConnection({ host: HOST, port: PORT, allowHalfOpen: true });  // SYN, SYN-ACK, ACK
sk.on('connect', () => {
  sk.write(MESSAGE);
});
sk.once('data', (reply) => {
  console.log('reply:', reply.toString());
  if (CLOSER === 'client') {
    if (CLOSE === 'reset') {
      sk.resetAndDestroy();                    // SO_LINGER 0: RST instead of FIN
    } else {
      sk.end();                                // FIN: nothing more to send
    }
  }
});
sk.on('end', () => {                           // the server's FIN: end of stream
  if (CLOSER === 'server' && CLOSE === 'end-after-pause') {
    setTimeout(() => sk.end(), PAUSE * 1000);
  } else if (CLOSER === 'server') {
    sk.end();                                  // our FIN
  }
});
sk.on('error', (err) => console.log('error:', err.code));
