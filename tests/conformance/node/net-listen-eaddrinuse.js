'use strict';
// listen() on an address and port that a server of ours already listens on:
// the second server emits 'error' (EADDRINUSE, syscall listen; the message is
// libuv's with the address and port, as Node's uvExceptionWithHostPort
// writes it) and is not listening; the first one goes on and closes. The port
// comes from port 0 and is printed as PORT.
const net = require('net');
const log = (...a) => console.log(a.map(String).join(' '));

const first = net.createServer();
first.listen(0, '127.0.0.1', () => {
  const port = first.address().port;
  const second = net.createServer();
  second.on('listening', () => log('second listening'));
  second.on('error', (e) => {
    log('second error', e.code, e.syscall, e.message.replace(':' + port, ':PORT'));
    log('second listening', second.listening, 'first listening', first.listening);
    first.close(() => log('first closed'));
  });
  second.listen(port, '127.0.0.1');
});
