// expect: run-error
{ const o = { length: 2 ** 53 - 1, [Symbol.iterator]: Array.prototype.values }; return String(Array.from(o).length) }
