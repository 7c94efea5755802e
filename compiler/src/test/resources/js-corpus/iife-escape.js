// expect: check
{ return x }) && (globalThis.n = 0) && (function g(x) { return x }
