'use strict';
// Duplex.from({ readable, writable }): writes go to the writable, reads come
// from the readable; the duplex finishes after the writable finished and
// ends after the readable ended; an error on one side destroys both.
const { Duplex, Readable, Writable } = require('stream');
const log = (...a) => console.log(a.map(String).join(' '));

function basic(next) {
  const r = new Readable({ read() {} });
  const w = new Writable({ write(c, e, cb) { log('w _write', c.toString()); cb(); } });
  const d = Duplex.from({ readable: r, writable: w });
  d.on('data', (c) => log('d data', c.toString()));
  d.on('end', () => log('d end'));
  d.on('finish', () => log('d finish'));
  d.on('close', () => { log('d close', 'r destroyed', r.destroyed, 'w destroyed', w.destroyed); next(); });
  w.on('finish', () => log('w finish'));
  r.on('end', () => log('r end'));
  d.write('ping');
  r.push('pong');
  r.push(null);
  d.end();
}

function error() {
  const r = new Readable({ read() {} });
  const w = new Writable({ write(c, e, cb) { cb(); } });
  const d = Duplex.from({ readable: r, writable: w });
  d.on('error', (e) => log('d error', e.message));
  d.on('close', () => log('d close', 'r destroyed', r.destroyed, 'w destroyed', w.destroyed, 'w errored', w.errored && w.errored.message));
  r.on('error', (e) => log('r error', e.message));
  w.on('error', (e) => log('w error', e.message));
  r.destroy(new Error('boom'));
}

basic(error);
