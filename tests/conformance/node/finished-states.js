'use strict';
// finished() attached to streams in every state: fresh, ended, finished,
// errored, destroyed, closed; with and without autoDestroy; with the
// {readable:false}, {writable:false} and {error:false} options. Each case
// prints its stream's events, 'finished called' when finished() returned,
// 'tick' from a nextTick queued right after, and the callback's result, so
// the trace shows when the callback ran.
const { finished, Readable, Writable, Duplex, PassThrough, Transform } = require('stream');
const log = (...a) => console.log(a.map(String).join(' '));
const msg = (e) => (e ? e.code || e.message : 'undefined');

function watch(name, s) {
  for (const ev of ['end', 'finish', 'close']) s.on(ev, () => log(name, ev));
  s.on('error', (e) => log(name, 'error', msg(e)));
  return s;
}

// Attaches finished(), then lets the loop settle (three immediates).
function check(name, s, opts) {
  return new Promise((resolve) => {
    const cb = (err) => log(name, 'finished cb', msg(err));
    if (opts) finished(s, opts, cb); else finished(s, cb);
    log(name, 'finished called');
    process.nextTick(() => log(name, 'tick'));
    setImmediate(() => setImmediate(() => setImmediate(resolve)));
  });
}

// Runs `then` once the loop has settled (three immediates).
const settle = (then) => setImmediate(() => setImmediate(() => setImmediate(then)));
const readable = (name, opts) => watch(name, new Readable({ read() {}, ...opts }));
const writable = (name, opts) =>
  watch(name, new Writable({ write(c, e, cb) { cb(); }, ...opts }));
const duplex = (name, opts) =>
  watch(name, new Duplex({ read() {}, write(c, e, cb) { cb(); }, ...opts }));

const cases = [
  // Readable
  (done) => {
    const r = readable('r-fresh');
    check('r-fresh', r).then(done);
    r.push('a');
    r.push(null);
    r.resume();
  },
  (done) => {
    const r = readable('r-ended-noautodestroy', { autoDestroy: false });
    r.push(null);
    r.resume();
    settle(() => check('r-ended-noautodestroy', r).then(done));
  },
  (done) => {
    const r = readable('r-ended-before-close');
    r.on('end', () => check('r-ended-before-close', r).then(done));
    r.push(null);
    r.resume();
  },
  (done) => {
    const r = readable('r-closed');
    r.push(null);
    r.resume();
    settle(() => check('r-closed', r).then(done));
  },
  (done) => {
    const r = readable('r-errored-noautodestroy', { autoDestroy: false });
    r.push(null);
    r.push('late');
    settle(() => check('r-errored-noautodestroy', r).then(done));
  },
  (done) => {
    const r = readable('r-errored-before-close');
    r.on('error', () => check('r-errored-before-close', r).then(done));
    r.destroy(new Error('boom'));
  },
  (done) => {
    const r = readable('r-errored-closed');
    r.destroy(new Error('boom'));
    settle(() => check('r-errored-closed', r).then(done));
  },
  (done) => {
    const r = readable('r-destroyed');
    r.push('a');
    r.destroy();
    check('r-destroyed', r).then(done);
  },
  (done) => {
    const r = readable('r-destroyed-closed');
    r.destroy();
    settle(() => check('r-destroyed-closed', r).then(done));
  },
  (done) => {
    const r = readable('r-destroyed-noemitclose', { emitClose: false });
    check('r-destroyed-noemitclose', r).then(done);
    r.destroy();
  },
  (done) => {
    const r = readable('r-opt-readable-false');
    check('r-opt-readable-false', r, { readable: false }).then(done);
    r.push(null);
    r.resume();
  },
  (done) => {
    const r = readable('r-opt-error-false');
    check('r-opt-error-false', r, { error: false }).then(done);
    r.destroy(new Error('boom'));
  },
  (done) => {
    const r = readable('r-opt-error-false-noautodestroy', { autoDestroy: false });
    check('r-opt-error-false-noautodestroy', r, { error: false }).then(done);
    r.push(null);
    r.push('late');
  },
  // Writable
  (done) => {
    const w = writable('w-fresh');
    check('w-fresh', w).then(done);
    w.end('x');
  },
  (done) => {
    const w = writable('w-finished-noautodestroy', { autoDestroy: false });
    w.end('x');
    settle(() => check('w-finished-noautodestroy', w).then(done));
  },
  (done) => {
    const w = writable('w-finished-before-close');
    w.on('finish', () => check('w-finished-before-close', w).then(done));
    w.end('x');
  },
  (done) => {
    const w = writable('w-closed');
    w.end('x');
    settle(() => check('w-closed', w).then(done));
  },
  (done) => {
    const w = watch('w-ending', new Writable({ write(c, e, cb) { setImmediate(cb); } }));
    w.write('a');
    w.end();
    check('w-ending', w).then(done);
  },
  (done) => {
    const w = watch('w-errored-noautodestroy', new Writable({
      autoDestroy: false,
      write(c, e, cb) { cb(new Error('write failed')); },
    }));
    w.write('a');
    settle(() => check('w-errored-noautodestroy', w).then(done));
  },
  (done) => {
    const w = writable('w-errored-before-close');
    w.on('error', () => check('w-errored-before-close', w).then(done));
    w.destroy(new Error('boom'));
  },
  (done) => {
    const w = watch('w-destroyed-writing', new Writable({ write(c, e, cb) { setImmediate(cb); } }));
    w.write('a');
    w.destroy();
    check('w-destroyed-writing', w).then(done);
  },
  (done) => {
    const w = writable('w-destroyed-closed', { autoDestroy: false });
    w.destroy();
    settle(() => check('w-destroyed-closed', w).then(done));
  },
  (done) => {
    const w = writable('w-opt-writable-false');
    check('w-opt-writable-false', w, { writable: false }).then(done);
    w.end('x');
  },
  (done) => {
    const w = writable('w-opt-error-false');
    check('w-opt-error-false', w, { error: false }).then(done);
    w.destroy(new Error('boom'));
  },
  // Duplex
  (done) => {
    const d = duplex('d-fresh');
    check('d-fresh', d).then(done);
    d.push(null);
    d.resume();
    setImmediate(() => d.end());
  },
  (done) => {
    const d = duplex('d-readable-ended');
    d.push(null);
    d.resume();
    settle(() => {
      check('d-readable-ended', d).then(done);
      d.end();
    });
  },
  (done) => {
    const d = duplex('d-readable-ended-opt-writable-false');
    d.push(null);
    d.resume();
    settle(() => check('d-readable-ended-opt-writable-false', d, { writable: false }).then(() => {
      d.destroy();
      settle(done);
    }));
  },
  (done) => {
    const d = duplex('d-writable-finished-opt-readable-false');
    d.end();
    settle(() => check('d-writable-finished-opt-readable-false', d, { readable: false }).then(() => {
      d.destroy();
      settle(done);
    }));
  },
  (done) => {
    const d = duplex('d-writable-finished');
    d.end();
    settle(() => {
      check('d-writable-finished', d).then(done);
      d.push(null);
      d.resume();
    });
  },
  (done) => {
    const d = duplex('d-readable-ended-destroyed');
    d.push(null);
    d.resume();
    settle(() => {
      d.destroy();
      check('d-readable-ended-destroyed', d).then(done);
    });
  },
  (done) => {
    const d = duplex('d-option-readable-false', { readable: false });
    check('d-option-readable-false', d).then(done);
    d.end();
  },
  (done) => {
    const d = duplex('d-option-writable-false', { writable: false });
    check('d-option-writable-false', d).then(done);
    d.push(null);
    d.resume();
  },
  (done) => {
    const d = duplex('d-option-readable-false-opt-readable-false', { readable: false });
    check('d-option-readable-false-opt-readable-false', d, { readable: false }).then(done);
    d.end();
  },
  (done) => {
    const d = duplex('d-option-writable-false-opt-writable-false', { writable: false });
    check('d-option-writable-false-opt-writable-false', d, { writable: false }).then(done);
    d.push(null);
    d.resume();
  },
  (done) => {
    const d = duplex('d-noautodestroy', { autoDestroy: false });
    check('d-noautodestroy', d).then(done);
    d.push(null);
    d.resume();
    d.end();
  },
  // Transform
  (done) => {
    const t = watch('t-finished-unread', new PassThrough());
    t.end('x');
    settle(() => {
      check('t-finished-unread', t).then(done);
      t.resume();
    });
  },
  (done) => {
    const t = watch('t-finished-unread-opt-readable-false', new PassThrough());
    t.end('x');
    settle(() => check('t-finished-unread-opt-readable-false', t, { readable: false }).then(() => {
      t.destroy();
      settle(done);
    }));
  },
  (done) => {
    const t = watch('t-error', new Transform({ transform(c, e, cb) { cb(new Error('bad chunk')); } }));
    check('t-error', t).then(done);
    t.write('x');
  },
  (done) => {
    const t = watch('t-error-opt-error-false', new Transform({
      transform(c, e, cb) { cb(new Error('bad chunk')); },
    }));
    check('t-error-opt-error-false', t, { error: false }).then(done);
    t.write('x');
  },
];

(function next(i) {
  if (i < cases.length) cases[i](() => next(i + 1));
  else log('done');
})(0);
