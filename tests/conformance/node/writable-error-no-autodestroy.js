'use strict';
// autoDestroy:false: a failed write still fails the buffered callbacks and
// emits 'error', but the stream is not destroyed and no 'close' follows; it
// stops being writable, write() returns false, end(cb) gets the error.
const { Writable } = require('stream');
const log = (...a) => console.log(a.map(String).join(' '));
const e2s = (e) => (e ? (e.code || 'no-code') + ':' + e.message : e);

const w = new Writable({
  autoDestroy: false,
  write(chunk, enc, cb) {
    log('_write', chunk.toString());
    setImmediate(() => cb(chunk.toString() === 'bad' ? new Error('boom') : null));
  },
});
w.on('error', (e) => {
  log('error', e2s(e), 'destroyed', w.destroyed, 'writable', w.writable, 'errored', e2s(w.errored));
  const ret = w.write('more', (er) => log('cb more', e2s(er)));
  log('write after error ->', ret, 'length', w.writableLength);
  w.end((er) => log('end cb', e2s(er)));
  setImmediate(() => log('immediate closed', w.closed, 'destroyed', w.destroyed));
});
w.on('close', () => log('close'));
w.write('bad', (e) => log('cb bad', e2s(e)));
w.write('next', (e) => log('cb next', e2s(e)));
