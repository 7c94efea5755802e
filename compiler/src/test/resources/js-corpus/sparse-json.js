// expect: run-error
{ const a = []; a.length = 2 ** 32 - 1; return JSON.stringify(a) }
