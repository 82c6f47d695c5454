'use strict';
// A connect that fails: nobody listens on port 1 of the loopback, so 'error'
// (ECONNREFUSED, syscall connect; the message names the address and port as
// Node's exceptionWithHostPort writes it), then 'close' with hadError true.
// Then a connect whose local address cannot be bound (the port of a server
// of ours on 127.0.0.1): the bind fails instead (EADDRINUSE, syscall bind).
// That port comes from port 0 and is printed as PORT.
const net = require('net');
const log = (...a) => console.log(a.map(String).join(' '));
const show = (tag, e, port) =>
  log(tag, 'error', e.code, e.syscall, e.message.replace(':' + port, ':PORT'));

const refused = net.connect(1, '127.0.0.1');
refused.on('error', (e) => show('refused', e));
refused.on('close', (hadError) => {
  log('refused close hadError', hadError);
  const server = net.createServer();
  server.listen(0, '127.0.0.1', () => {
    const port = server.address().port;
    const bound = net.connect({ port: 1, host: '127.0.0.1', localAddress: '127.0.0.1', localPort: port });
    bound.on('error', (e) => show('bind', e, port));
    bound.on('close', (hadError) => {
      log('bind close hadError', hadError);
      server.close(() => log('server closed'));
    });
  });
});
