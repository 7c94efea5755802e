// expect: run-error
{ const a = []; a.length = 1e9; return JSON.stringify(a) }
