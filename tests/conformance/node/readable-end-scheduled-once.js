'use strict';
// endReadable schedules one 'end' tick at a time (kEndScheduled): a second
// read() at the end while that tick is pending schedules nothing. When an
// unshift() makes the pending tick find data, 'end' waits for the next
// read() that reaches the end, even though the buffer was emptied in between
// by a read(n) that took exactly what was left (which does not end reading).
const { Readable } = require('stream');
const log = (...a) => console.log(a.map(String).join(' '));

const r = new Readable({ read() {} });
r.on('end', () => log('end'));
r.push('a');
r.push(null);
log('read', String(r.read()));
process.nextTick(() => log('tick read(1)', String(r.read(1)), 'readableLength', r.readableLength));
log('read', String(r.read()));
r.unshift('x');
log('unshift readableLength', r.readableLength);
setImmediate(() => {
  log('immediate readableEnded', r.readableEnded);
  log('read', String(r.read()));
});
