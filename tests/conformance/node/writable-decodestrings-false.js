'use strict';
// decodeStrings:false: strings reach _write unchanged with their encoding,
// and writableLength counts them as JavaScript counts string length.
const { Writable } = require('stream');
const log = (...a) => console.log(a.map(String).join(' '));

const w = new Writable({
  decodeStrings: false,
  write(chunk, enc, cb) {
    log('_write', typeof chunk, enc, JSON.stringify(chunk.toString()));
    setImmediate(cb);
  },
});
w.write('héllo');
log('writableLength', w.writableLength);
w.write('😀');
log('writableLength', w.writableLength);
w.write('6869', 'hex');
log('writableLength', w.writableLength);
w.setDefaultEncoding('base64');
w.write('aGk=');
log('writableLength', w.writableLength);
w.write(Buffer.from('xyz'));
log('writableLength', w.writableLength);
w.end();
w.on('finish', () => log('finish writableLength', w.writableLength));
