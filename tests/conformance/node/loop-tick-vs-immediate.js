'use strict';
// Ticks run before immediates, whatever the order they were queued in;
// immediates run FIFO.
const log = (...a) => console.log(a.map(String).join(' '));

setImmediate(() => log('immediate 1'));
process.nextTick(() => log('tick 1'));
setImmediate(() => log('immediate 2'));
process.nextTick(() => log('tick 2'));
log('sync');
