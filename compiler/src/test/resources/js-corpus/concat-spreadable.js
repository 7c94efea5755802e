// expect: run-error
{ const o = { length: 2 ** 32 - 1, [Symbol.isConcatSpreadable]: true }; return String([].concat(o).length) }
