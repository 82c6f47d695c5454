'use strict';
// _final calling back with an error: the end callback gets it, then 'error'
// and 'close'; no 'prefinish', no 'finish'. Sync and async _final.
const { Writable } = require('stream');
const log = (...a) => console.log(a.map(String).join(' '));
const e2s = (e) => (e ? (e.code || 'no-code') + ':' + e.message : e);

function run(name, async, next) {
  const w = new Writable({
    write(chunk, enc, cb) { cb(); },
    final(cb) {
      log(name, '_final');
      const fail = () => cb(new Error('final failed'));
      if (async) setImmediate(fail); else fail();
    },
  });
  w.on('prefinish', () => log(name, 'prefinish'));
  w.on('finish', () => log(name, 'finish'));
  w.on('error', (e) => log(name, 'error', e2s(e)));
  w.on('close', () => { log(name, 'close'); next(); });
  w.end('x', (e) => log(name, 'end cb', e2s(e)));
  process.nextTick(() => log(name, 'nextTick'));
}

run('sync', false, () => run('async', true, () => log('done')));
