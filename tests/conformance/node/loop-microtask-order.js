'use strict';
// Ticks run before microtasks; microtasks queued by microtasks run in the
// same drain; a tick queued by a microtask runs after the microtasks.
const log = (...a) => console.log(a.map(String).join(' '));

queueMicrotask(() => {
  log('microtask 1');
  process.nextTick(() => log('tick from microtask 1'));
  queueMicrotask(() => log('microtask 1.1'));
});
process.nextTick(() => {
  log('tick 1');
  queueMicrotask(() => log('microtask from tick 1'));
});
queueMicrotask(() => log('microtask 2'));
process.nextTick(() => log('tick 2'));
setImmediate(() => log('immediate'));
log('sync');
