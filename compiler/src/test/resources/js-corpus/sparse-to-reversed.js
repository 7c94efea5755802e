// expect: run-error
{ const a = []; a.length = 1e9; return String(a.toReversed().length) }
