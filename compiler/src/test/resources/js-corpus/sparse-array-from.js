// expect: run-error
{ const a = []; a.length = 1e9; return String(Array.from(a).length) }
