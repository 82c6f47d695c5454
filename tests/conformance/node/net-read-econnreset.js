'use strict';
// A read that fails: the server socket answers the client's first bytes with
// resetAndDestroy() (SO_LINGER 0, so the kernel sends RST). The client's
// read fails: 'error' (ECONNRESET, syscall read, message 'read ECONNRESET'
// as Node's ErrnoException writes it), then 'close' with hadError true. The
// server side's events are printed at the end.
const net = require('net');
const log = (...a) => console.log(a.map(String).join(' '));

const serverEvents = [];
const server = net.createServer((sock) => {
  sock.on('data', (d) => {
    serverEvents.push(`server data ${d}`);
    sock.resetAndDestroy();
  });
  sock.on('error', (e) => serverEvents.push(`server error ${e.code}`));
  sock.on('close', (hadError) => serverEvents.push(`server close hadError ${hadError}`));
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1');
  client.on('error', (e) => log('client error', e.code, e.syscall, e.message));
  client.on('close', (hadError) => {
    log('client close hadError', hadError);
    server.close(() => {
      for (const e of serverEvents) log(e);
      log('server closed');
    });
  });
  client.write('x');
});
