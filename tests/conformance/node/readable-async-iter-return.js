'use strict';
// Leaving a for await loop over a Readable early: break destroys the stream
// with ABORT_ERR ('error', then 'close'); with iterator({ destroyOnReturn:
// false }) the stream stays open and a later loop reads on from where the
// first stopped; an error while iterating is thrown by the loop, after the
// chunks read before it.
const { Readable } = require('stream');
const log = (...a) => console.log(a.map(String).join(' '));
const immediate = () => new Promise((resolve) => setImmediate(resolve));

async function main() {
  const r1 = Readable.from(['a', 'b', 'c']);
  r1.on('error', (e) => log('r1 error', e.code));
  r1.on('close', () => log('r1 close'));
  for await (const c of r1) {
    log('r1 chunk', c);
    break;
  }
  log('r1 after break destroyed', r1.destroyed);
  await immediate();

  const r2 = Readable.from(['a', 'b', 'c']);
  r2.on('end', () => log('r2 end'));
  r2.on('close', () => log('r2 close'));
  for await (const c of r2.iterator({ destroyOnReturn: false })) {
    log('r2 chunk', c);
    break;
  }
  log('r2 after break destroyed', r2.destroyed);
  await immediate();
  for await (const c of r2) log('r2 rest', c);
  log('r2 done destroyed', r2.destroyed);
  await immediate();

  const r3 = new Readable({ read() {} });
  r3.on('close', () => log('r3 close'));
  r3.push('x');
  setImmediate(() => r3.destroy(new Error('boom')));
  try {
    for await (const c of r3) log('r3 chunk', c.toString());
  } catch (e) {
    log('r3 caught', e.message, 'destroyed', r3.destroyed);
  }
}
main();
