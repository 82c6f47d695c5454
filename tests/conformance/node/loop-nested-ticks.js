'use strict';
// nextTick is FIFO and drained completely: ticks queued by ticks run in the
// same drain, before any immediate.
const log = (...a) => console.log(a.map(String).join(' '));

setImmediate(() => log('immediate'));
process.nextTick(() => {
  log('tick 1');
  process.nextTick(() => {
    log('tick 1.1');
    process.nextTick(() => log('tick 1.1.1'));
  });
  process.nextTick(() => log('tick 1.2'));
});
process.nextTick(() => log('tick 2'));
log('sync');
