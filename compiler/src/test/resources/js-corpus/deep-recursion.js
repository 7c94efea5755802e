// expect: run-error
{ const f = (n) => f(n + 1) + 1; return String(f(0)) }
