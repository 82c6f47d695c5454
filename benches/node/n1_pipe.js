'use strict';
// N1: Node's benchmark/streams/pipe.js: N pushes of one 1 KiB Buffer,
// r.pipe(w) into a Writable whose write calls back at once.
// Usage: node n1_pipe.js N
const { Readable, Writable } = require('stream');
const { count, now, report } = require('./common');

const n = count(0);
const b = Buffer.alloc(1024);
const r = new Readable();
const w = new Writable();
let i = 0;
r._read = () => r.push(i++ === n ? null : b);
w._write = (data, enc, cb) => cb();
const start = now();
r.pipe(w);
w.on('finish', () => report(n, start));
