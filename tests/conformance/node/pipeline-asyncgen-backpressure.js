'use strict';
// stream.promises.pipeline from an async generator into a Writable (Node's
// pumpToNode): each chunk is written as the generator yields it; after a
// write() that returns false the generator waits for 'drain'; the Writable
// is ended once the generator is done.
const { Writable, promises } = require('stream');
const log = (...a) => console.log(a.map(String).join(' '));

async function* numbers() {
  for (let i = 1; i <= 5; i++) {
    log('gen yield', i);
    yield String(i);
  }
  log('gen done');
}

async function main() {
  const w = new Writable({
    objectMode: true,
    highWaterMark: 2,
    write(chunk, enc, cb) {
      log('_write', chunk, 'length', w.writableLength);
      setImmediate(() => {
        log('cb', chunk);
        cb();
      });
    },
  });
  w.on('drain', () => log('drain'));
  w.on('finish', () => log('finish'));
  w.on('close', () => log('close'));
  await promises.pipeline(numbers, w);
  log('pipeline resolved');
}
main();
