'use strict';
// stream.compose(): the composed Duplex's events beside its inner streams',
// in five cases: data in and out with end; backpressure with a slow reader
// (write() false, 'drain'); an error in a middle stream; the composed
// stream destroyed (the inner ones get ABORT_ERR); the output piped into a
// Writable.
const { compose, Transform, Writable } = require('stream');
const log = (...a) => console.log(a.map(String).join(' '));
const msg = (e) => (e ? e.code || e.message : 'undefined');

function watch(name, s) {
  for (const ev of ['prefinish', 'finish', 'end', 'close', 'drain']) s.on(ev, () => log(name, ev));
  s.on('error', (e) => log(name, 'error', msg(e)));
  return s;
}

// An object transform that appends `suffix`, with hwm 2 on both sides;
// it fails on `failOn`.
function t(name, suffix, failOn) {
  return watch(name, new Transform({
    objectMode: true,
    highWaterMark: 2,
    transform(c, e, cb) {
      if (c === failOn) {
        log(name, 'fails on', c);
        cb(new Error(`${name} failed`));
        return;
      }
      cb(null, c + suffix);
    },
  }));
}

const settle = () => new Promise((r) => setImmediate(() => setImmediate(() => setImmediate(r))));

async function basic() {
  log('-- basic');
  const c = watch('c', compose(t('a', '1'), t('b', '2')));
  log('objectMode', c.readableObjectMode, c.writableObjectMode, 'hwm', c.readableHighWaterMark, c.writableHighWaterMark);
  c.on('data', (d) => log('c data', d));
  log('write x', c.write('x'));
  log('write y', c.write('y'));
  c.end();
  log('end called');
  process.nextTick(() => log('tick'));
  await settle();
}

async function backpressure() {
  log('-- backpressure');
  const c = watch('c', compose(t('a', '1'), t('b', '2'), t('d', '3')));
  let i = 0;
  let ok = true;
  while (ok && i < 40) {
    ok = c.write(`v${i}`);
    log('write', i, ok, 'writableLength', c.writableLength);
    i++;
  }
  await settle();
  log('buffered', c.readableLength, c.writableLength);
  // A slow reader: one read per turn of the loop.
  const got = [];
  let ended = false;
  await new Promise((resolve) => {
    c.on('end', () => {
      ended = true;
      resolve();
    });
    c.once('drain', () => {
      log('drained after', got.length, 'reads');
      c.end('last');
    });
    const step = () => {
      const v = c.read();
      if (v !== null) got.push(v);
      if (!ended) setImmediate(step);
    };
    step();
  });
  log('got', got.length, got[0], got[got.length - 1]);
  await settle();
}

async function errorInMiddle() {
  log('-- error in the middle');
  const a = t('a', '1');
  const b = t('b', '2', 'y1');
  const d = t('d', '3');
  const c = watch('c', compose(a, b, d));
  c.on('data', (v) => log('c data', v));
  c.write('x');
  c.write('y');
  c.write('z');
  await settle();
  log('destroyed', a.destroyed, b.destroyed, d.destroyed, c.destroyed);
}

async function destroyComposed() {
  log('-- composed destroyed');
  const a = t('a', '1');
  const b = t('b', '2');
  const c = watch('c', compose(a, b));
  c.write('x');
  await settle();
  c.destroy();
  log('destroy called');
  await settle();
  log('destroyed', a.destroyed, b.destroyed, c.destroyed, 'errored', msg(a.errored), msg(b.errored), msg(c.errored));
}

async function pipedOut() {
  log('-- piped into a Writable');
  const c = watch('c', compose(t('a', '1'), t('b', '2')));
  const w = watch('w', new Writable({
    objectMode: true,
    highWaterMark: 1,
    write(chunk, e, cb) { log('w write', chunk); setImmediate(cb); },
  }));
  c.pipe(w);
  c.write('x');
  c.write('y');
  c.end('z');
  await settle();
  await settle();
}

(async () => {
  await basic();
  await backpressure();
  await errorInMiddle();
  await destroyComposed();
  await pipedOut();
  log('done');
})();
