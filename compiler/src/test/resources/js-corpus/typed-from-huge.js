// expect: run-error
{ return String(Int8Array.from({length: 2 ** 31 - 1}).length) }
