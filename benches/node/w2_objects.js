'use strict';
// W2 objects: N small objects through an object-mode
// Readable -> Transform (changes a field) -> Writable (sums), with pipeline.
// Usage: node w2_objects.js N
const { Readable, Transform, Writable, pipeline } = require('stream');
const { count, now, report, fail } = require('./common');

const n = count(0);
const start = now();
let i = 0;
const source = new Readable({
  objectMode: true,
  read() {
    // Push until the buffer is full, the fastest way to fill a Readable.
    for (;;) {
      if (i === n) {
        this.push(null);
        return;
      }
      const id = i++;
      if (!this.push({ id, value: id })) return;
    }
  },
});
const bump = new Transform({
  objectMode: true,
  transform(item, _enc, cb) {
    item.value += 1;
    cb(null, item);
  },
});
let sum = 0;
const sink = new Writable({
  objectMode: true,
  write(item, _enc, cb) {
    sum += item.value;
    cb();
  },
});
pipeline(source, bump, sink, (err) => {
  if (err) fail(err.message);
  // sum of (id + 1) for id in 0..n
  if (sum !== (n * (n + 1)) / 2) fail(`bad sum ${sum}`);
  report(n, start);
});
