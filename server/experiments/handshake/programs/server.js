const net = require('node:net');

// This run's settings (the lab writes them here before it runs the program).
const HOST = '127.0.0.1';
const PORT = 9000;
const CLOSER = 'client';   // who closes first: 'client' or 'server'
const CLOSE = 'end';       // 'end': end(); 'end-after-pause': the second side waits; 'reset': RST
const PAUSE = 0.2;         // seconds the second side waits before it closes

// allowHalfOpen: after the client's FIN we may still send, and end() when we choose.
const server = net.createServer({ allowHalfOpen: true }, (conn) => {   // once the three-way handshake is done
  console.log('connection from', conn.remoteAddress, conn.remotePort);
  conn.once('data', (data) => {                // the client's message
    conn.write(data.toString().toUpperCase()); // the reply
    if (CLOSER === 'server') {
      if (CLOSE === 'reset') {
        conn.resetAndDestroy();                // SO_LINGER 0: RST instead of FIN
      } else {
        conn.end();                            // FIN: nothing more to send
      }
    }
  });
  conn.on('end', () => {                       // the client's FIN: end of stream
    if (CLOSER === 'client' && CLOSE === 'end-after-pause') {
      setTimeout(() => conn.end(), PAUSE * 1000);
    } else if (CLOSER === 'client') {
      conn.end();                              // our FIN
    }
  });
  conn.on('error', (err) => console.log('the client reset the connection:', err.code));
  conn.on('close', () => server.close());     // one connection, then stop listening
});
server.listen(PORT, HOST, () => console.log('listening on', PORT));
