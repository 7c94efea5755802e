// expect: run-error
{ const b = new ArrayBuffer(8, { maxByteLength: 2 ** 31 }); b.resize(2 ** 31); return String(b.byteLength) }
