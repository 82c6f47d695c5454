'use strict';
// W4 / W4p TCP: an echo server, socket.pipe(socket), on 127.0.0.1.
// Prints {"port": P} once listening; the harness's client then measures.
// When stdin closes, prints {"units": 0, "secs": 0, "rss_kb": R} and exits.
const net = require('net');
const { peakRssKb, cpuWait } = require('./common');

const server = net.createServer({ noDelay: true }, (socket) => {
  socket.on('error', () => {});
  socket.pipe(socket);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});
process.stdin.on('end', () => {
  const line = { units: 0, secs: 0, rss_kb: peakRssKb(), cpu_wait: cpuWait() };
  process.stdout.write(JSON.stringify(line) + '\n');
  process.exit(0);
});
process.stdin.resume();
