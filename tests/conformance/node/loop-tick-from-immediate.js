'use strict';
// A tick queued from an immediate runs right after that immediate, before
// the next immediate of the same check phase.
const log = (...a) => console.log(a.map(String).join(' '));

setImmediate(() => {
  log('immediate 1');
  process.nextTick(() => {
    log('tick from immediate 1');
    process.nextTick(() => log('nested tick from immediate 1'));
  });
});
setImmediate(() => {
  log('immediate 2');
  process.nextTick(() => log('tick from immediate 2'));
});
log('sync');
