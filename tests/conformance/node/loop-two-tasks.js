'use strict';
// Two async tasks, each started as its own macrotask (as streams::spawn
// starts one), interleave at each await of an immediate; each step's tick
// runs before the other task's step.
const log = (...a) => console.log(a.map(String).join(' '));
const { setImmediate: immediate } = require('timers/promises');

async function task(name) {
  for (let i = 0; i < 3; i++) {
    log(name, 'step', i);
    process.nextTick(() => log(name, 'tick', i));
    await immediate();
  }
  log(name, 'done');
}
setImmediate(() => task('A'));
setImmediate(() => task('B'));
log('sync');
