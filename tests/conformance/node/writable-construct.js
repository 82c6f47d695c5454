'use strict';
// construct(cb): runs on the next tick; writes (and end) wait for it, then
// the buffered chunks are written; a construct error destroys the stream.
const { Writable } = require('stream');
const log = (...a) => console.log(a.map(String).join(' '));
const e2s = (e) => (e ? (e.code || 'no-code') + ':' + e.message : e);

function run(name, fail, next) {
  const w = new Writable({
    construct(cb) {
      log(name, '_construct');
      setImmediate(() => { log(name, 'constructed'); cb(fail ? new Error('no') : null); });
    },
    write(chunk, enc, cb) {
      log(name, '_write', chunk.toString());
      cb();
    },
    final(cb) { log(name, '_final'); cb(); },
  });
  w.on('finish', () => log(name, 'finish'));
  w.on('error', (e) => log(name, 'error', e2s(e)));
  w.on('close', () => { log(name, 'close'); next(); });
  log(name, 'write a ->', w.write('a', (e) => log(name, 'cb a', e2s(e))));
  log(name, 'length', w.writableLength);
  w.end('b', (e) => log(name, 'end cb', e2s(e)));
  process.nextTick(() => log(name, 'nextTick'));
}

run('ok', false, () => run('fail', true, () => log('done')));
