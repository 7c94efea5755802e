// expect: check
{ return x }); (function () { while (true) {} })(); (function g(x) { return x }
