'use strict';
// end() is forgiving before 'finish': a second end() only adds its callback.
// After 'finish', end(cb) gives ERR_STREAM_ALREADY_FINISHED to the callback
// (no 'error'); after destroy(), ERR_STREAM_DESTROYED.
const { Writable } = require('stream');
const log = (...a) => console.log(a.map(String).join(' '));
const e2s = (e) => (e ? (e.code || 'no-code') + ':' + e.message : e);

const w = new Writable({
  autoDestroy: false,
  write(chunk, enc, cb) {
    log('_write', chunk.toString());
    setImmediate(cb);
  },
});
w.on('error', (e) => log('error', e2s(e)));
w.on('finish', () => {
  log('finish');
  w.end((e) => log('end after finish cb', e2s(e)));
  log('after end after finish: writableEnded', w.writableEnded, 'errored', e2s(w.errored));
  setImmediate(() => {
    w.destroy();
    w.end((e) => log('end after destroy cb', e2s(e)));
    w.on('close', () => log('close'));
  });
});
w.write('a');
w.end((e) => log('end 1 cb', e2s(e)));
w.end((e) => log('end 2 cb', e2s(e)));
log('ended', w.writableEnded, 'finished', w.writableFinished);
