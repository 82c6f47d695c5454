'use strict';
// readable.pipe(process.stderr) never ends the destination: Node's pipe skips
// end() for process.stdout and process.stderr and unpipes instead; any other
// destination is ended.
const { Readable, Writable } = require('stream');
const log = (...a) => console.log(a.map(String).join(' '));

const src = new Readable({ read() {} });
const other = new Writable({ write(c, e, cb) { cb(); } });
process.stderr.on('unpipe', () => log('stderr unpipe'));
other.on('unpipe', () => log('other unpipe'));
other.on('finish', () => log('other finish'));
src.on('end', () => log('src end'));
src.pipe(process.stderr);
src.pipe(other);
src.push(null);
setImmediate(() => {
  log('stderr writableEnded', process.stderr.writableEnded, 'writable', process.stderr.writable);
  log('other writableEnded', other.writableEnded, 'writable', other.writable);
});
