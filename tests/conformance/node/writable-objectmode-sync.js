'use strict';
// Object mode counts items (hwm 16). A synchronous _write without a callback
// queues an afterWrite tick in object mode (Node reads the object-mode bit in
// its needTick test) but not in byte mode, so 'finish' comes one tick later
// relative to other ticks.
const { Writable } = require('stream');
const log = (...a) => console.log(a.map(String).join(' '));

function run(name, objectMode, next) {
  const w = new Writable({
    objectMode,
    write(chunk, enc, cb) { log(name, '_write', String(chunk)); cb(); },
  });
  w.on('finish', () => log(name, 'finish'));
  w.on('close', () => { log(name, 'close'); next(); });
  w.write(objectMode ? 1 : 'x');
  process.nextTick(() => log(name, 'tick 1'));
  w.end();
  process.nextTick(() => log(name, 'tick 2'));
}

function hwm() {
  const w = new Writable({ objectMode: true, write(chunk, enc, cb) { setImmediate(cb); } });
  log('hwm', w.writableHighWaterMark);
  let n = 0;
  while (w.write({ n })) n++;
  log('false after', n + 1, 'writes, length', w.writableLength, 'needDrain', w.writableNeedDrain);
  w.on('drain', () => log('drain length', w.writableLength));
}

run('bytes', false, () => run('objects', true, hwm));
