'use strict';
// W1 file copy: fs.createReadStream(src).pipe(fs.createWriteStream(dst)).
// W1o (argument "data"): the same with a 'data' listener counting bytes.
// Usage: node w1_copy.js SRC DST [data]
const fs = require('fs');
const { now, report, fail } = require('./common');

const [src, dst, mode] = process.argv.slice(2);
const start = now();
const rs = fs.createReadStream(src);
const ws = fs.createWriteStream(dst);
let seen = 0;
if (mode === 'data') rs.on('data', (chunk) => { seen += chunk.length; });
rs.pipe(ws);
rs.on('error', (e) => fail(`read: ${e.message}`));
ws.on('error', (e) => fail(`write: ${e.message}`));
ws.on('close', () => {
  if (mode === 'data' && seen !== ws.bytesWritten) fail(`counted ${seen} of ${ws.bytesWritten}`);
  report(ws.bytesWritten, start);
});
