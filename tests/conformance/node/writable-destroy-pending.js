'use strict';
// destroy() while a write is in flight and others are buffered: the buffered
// callbacks and the end callback get ERR_STREAM_DESTROYED (or the destroy
// error) on the next tick; the in-flight write's callback runs when the
// implementation calls back; writes after destroy fail without 'error'.
const { Writable } = require('stream');
const log = (...a) => console.log(a.map(String).join(' '));
const e2s = (e) => (e ? (e.code || 'no-code') + ':' + e.message : e);

function run(name, err, next) {
  let pending;
  const w = new Writable({
    write(chunk, enc, cb) {
      log(name, '_write', chunk.toString());
      pending = cb;
    },
    destroy(e, cb) {
      log(name, '_destroy', e2s(e));
      cb(e);
    },
  });
  w.on('error', (e) => log(name, 'error', e2s(e)));
  w.on('finish', () => log(name, 'finish'));
  w.on('close', () => {
    log(name, 'close length', w.writableLength, 'aborted', w.writableAborted);
    pending();
    setImmediate(next);
  });
  w.write('a', (e) => log(name, 'cb a', e2s(e)));
  w.write('b', (e) => log(name, 'cb b', e2s(e)));
  w.write('c', (e) => log(name, 'cb c', e2s(e)));
  w.end((e) => log(name, 'end cb', e2s(e)));
  log(name, 'length', w.writableLength, 'buffer', w.writableBuffer.length);
  w.destroy(err);
  log(name, 'destroyed', w.destroyed, 'writable', w.writable, 'length', w.writableLength);
  const ret = w.write('d', (e) => log(name, 'cb d', e2s(e)));
  log(name, 'write after destroy ->', ret);
  process.nextTick(() => log(name, 'nextTick'));
}

run('plain', undefined, () => run('with-error', new Error('stop'), () => log('done')));
