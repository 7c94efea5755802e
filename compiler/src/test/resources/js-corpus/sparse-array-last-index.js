// expect: stateless
{ const a = []; a.length = 2 ** 32 - 1; return String(a.lastIndexOf(x)) }
