// expect: run-error
{ let k = 0; const o = { get length() { k = k + 1; return k > 1 ? 2 ** 53 - 1 : 0 } }; return String([].indexOf.call(o, x)) }
