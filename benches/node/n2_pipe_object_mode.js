'use strict';
// N2: Node's benchmark/streams/pipe-object-mode.js: N pushes of one
// object, r.pipe(w) in object mode.
// Usage: node n2_pipe_object_mode.js N
const { Readable, Writable } = require('stream');
const { count, now, report } = require('./common');

const n = count(0);
const b = {};
const r = new Readable({ objectMode: true });
const w = new Writable({ objectMode: true });
let i = 0;
r._read = () => r.push(i++ === n ? null : b);
w._write = (data, enc, cb) => cb();
const start = now();
r.pipe(w);
w.on('finish', () => report(n, start));
