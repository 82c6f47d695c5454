'use strict';
// An immediate queued from a tick joins the queue behind the immediates
// already there; one queued from an immediate waits for the next round.
const log = (...a) => console.log(a.map(String).join(' '));

setImmediate(() => {
  log('immediate A');
  setImmediate(() => log('immediate C (queued by A)'));
  process.nextTick(() => log('tick from A'));
});
process.nextTick(() => {
  log('tick');
  setImmediate(() => log('immediate B (queued by tick)'));
});
log('sync');
