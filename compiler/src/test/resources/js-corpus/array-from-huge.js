// expect: run-error
{ return String(Array.from({length: 2 ** 32 - 1}).length) }
