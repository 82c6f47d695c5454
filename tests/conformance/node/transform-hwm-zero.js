'use strict';
// Transform with a readable highWaterMark of 0 (given as highWaterMark or
// readableHighWaterMark; highWaterMark wins): Node drops highWaterMark and
// gives the writable side writableHighWaterMark || 0, so a Transform
// buffers hwm elements once, not on both sides.
const { Transform } = require('stream');
const log = (...a) => console.log(a.map(String).join(' '));

const cases = [
  ['highWaterMark 0', { highWaterMark: 0 }],
  ['readableHighWaterMark 0', { readableHighWaterMark: 0 }],
  ['highWaterMark 0 + writableHighWaterMark 5', { highWaterMark: 0, writableHighWaterMark: 5 }],
  ['highWaterMark 0 + readableHighWaterMark 5', { highWaterMark: 0, readableHighWaterMark: 5 }],
  ['highWaterMark 5 + readableHighWaterMark 0', { highWaterMark: 5, readableHighWaterMark: 0 }],
  ['readableHighWaterMark 0 + writableHighWaterMark 3', { readableHighWaterMark: 0, writableHighWaterMark: 3 }],
];
for (const [name, options] of cases) {
  const t = new Transform({
    ...options,
    transform(chunk, enc, cb) {
      cb(null, chunk);
    },
  });
  const writes = [];
  for (const s of ['ab', 'cd', 'ef']) writes.push(t.write(s));
  log(name, '->', t.readableHighWaterMark, t.writableHighWaterMark,
    'writes', writes.join(','), 'readableLength', t.readableLength, 'writableLength', t.writableLength);
}
