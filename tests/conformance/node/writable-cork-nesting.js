'use strict';
// cork() nests: two corks need two uncorks; without _writev the buffered
// chunks go to _write one by one (each waiting for the previous callback);
// end() uncorks fully and flushes what was corked before 'finish'.
const { Writable } = require('stream');
const log = (...a) => console.log(a.map(String).join(' '));

function make(name) {
  return new Writable({
    write(chunk, enc, cb) {
      log(name, '_write', chunk.toString());
      setImmediate(cb);
    },
    final(cb) {
      log(name, '_final');
      cb();
    },
  });
}

const w = make('A');
w.cork();
w.cork();
w.write('a', () => log('A cb a'));
w.write('b', () => log('A cb b'));
log('A corked', w.writableCorked, 'length', w.writableLength, 'buffer', w.writableBuffer.length);
w.uncork();
log('A after 1st uncork corked', w.writableCorked, 'buffer', w.writableBuffer.length);
w.uncork();
log('A after 2nd uncork corked', w.writableCorked, 'buffer', w.writableBuffer.length);
w.uncork();
log('A after 3rd uncork corked', w.writableCorked);
w.end();
w.on('finish', () => {
  log('A finish');
  const v = make('B');
  v.on('finish', () => log('B finish'));
  v.on('close', () => log('B close'));
  v.cork();
  v.cork();
  v.cork();
  v.write('x');
  v.write('y');
  log('B corked', v.writableCorked);
  v.end('z', () => log('B end cb'));
  log('B after end corked', v.writableCorked, 'length', v.writableLength);
});
