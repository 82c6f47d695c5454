'use strict';
// pipeline(src, mid, dst, cb) with one stream destroyed from outside while
// data is in flight: without an error the callback gets
// ERR_STREAM_PREMATURE_CLOSE, with one it gets that error, and every stream
// is destroyed and closes once. Last case: a transform that destroys itself
// (no error) and calls back synchronously while writes are buffered makes
// Node's clearBuffer hand it the next chunk, which fails with
// ERR_STREAM_DESTROYED: that becomes the stream's error and the callback's.
const { Readable, Writable, Transform, pipeline } = require('stream');
const log = (...a) => console.log(a.map(String).join(' '));
const msg = (e) => (e ? e.code || e.message : 'undefined');

function run(target, withError) {
  return new Promise((resolve) => {
    const name = `${target}${withError ? ' with error' : ''}:`;
    const src = new Readable({ objectMode: true, read() {} });
    const mid = new Transform({
      objectMode: true,
      transform(c, e, cb) { setImmediate(() => cb(null, c.toUpperCase())); },
    });
    const dst = new Writable({
      objectMode: true,
      highWaterMark: 1,
      write(c, e, cb) { log(name, 'dst write', c); setImmediate(cb); },
    });
    const streams = { src, mid, dst };
    for (const [n, s] of Object.entries(streams)) {
      s.on('error', (e) => log(name, n, 'error', msg(e)));
      s.on('close', () => log(name, n, 'close'));
    }
    pipeline(src, mid, dst, (err) => {
      log(name, 'pipeline cb', msg(err));
      log(name, 'destroyed', src.destroyed, mid.destroyed, dst.destroyed);
      setImmediate(resolve);
    });
    src.push('a');
    src.push('b');
    src.push('c');
    setImmediate(() => setImmediate(() => {
      log(name, 'destroying', target);
      streams[target].destroy(withError ? new Error('boom') : undefined);
    }));
  });
}

function selfDestroy() {
  return new Promise((resolve) => {
    const name = 'self-destroy:';
    const src = new Readable({ objectMode: true, read() {} });
    let n = 0;
    const mid = new Transform({
      objectMode: true,
      transform(c, e, cb) {
        n++;
        if (n === 1) {
          setImmediate(() => cb(null, c));
          return;
        }
        log(name, 'mid destroys itself on', c, 'writableLength', this.writableLength);
        this.destroy();
        cb(null, c);
      },
    });
    const dst = new Writable({ objectMode: true, write(c, e, cb) { cb(); } });
    for (const [k, s] of Object.entries({ src, mid, dst })) {
      s.on('error', (e) => log(name, k, 'error', msg(e)));
      s.on('close', () => log(name, k, 'close'));
    }
    pipeline(src, mid, dst, (err) => {
      log(name, 'pipeline cb', msg(err), err && err.message);
      setImmediate(resolve);
    });
    src.push('a');
    src.push('b');
    src.push('c');
  });
}

(async () => {
  for (const target of ['src', 'mid', 'dst']) {
    for (const withError of [false, true]) {
      await run(target, withError);
    }
  }
  await selfDestroy();
})();
