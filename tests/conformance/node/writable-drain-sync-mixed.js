'use strict';
// A slow first write, then writes past the hwm that the implementation
// completes synchronously once the first is done: 'drain' comes on the
// tick after the buffer empties, before the deferred callbacks; one 'drain'
// per false return.
const { Writable } = require('stream');
const log = (...a) => console.log(a.map(String).join(' '));

let first = true;
const w = new Writable({
  highWaterMark: 4,
  write(chunk, enc, cb) {
    log('_write', chunk.toString());
    if (first) { first = false; setImmediate(cb); } else cb();
  },
});
w.on('drain', () => log('drain length', w.writableLength));
log('write 11 ->', w.write('11', () => log('cb 11')));
log('write 22 ->', w.write('22', () => log('cb 22')));
log('write 33 ->', w.write('33', () => log('cb 33')));
log('write 44 ->', w.write('44'));
log('length', w.writableLength, 'needDrain', w.writableNeedDrain);
process.nextTick(() => log('nextTick'));
setImmediate(() => {
  log('immediate 1');
  process.nextTick(() => log('nextTick in immediate'));
});
