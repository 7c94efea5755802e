// expect: run-error
{ [].sort.call({length: 2 ** 32 - 1}); return x }
