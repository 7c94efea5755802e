// expect: run-error
{ const a = []; a.length = 4194304; return JSON.stringify([a, a, a, a, a, a, a, a]) }
