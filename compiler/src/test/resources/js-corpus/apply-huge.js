// expect: run-error
{ return String(Math.max.apply(null, {length: 2 ** 32 - 1})) }
