// expect: check
{ return x } .call(0), ((n) => function g(x) { n = n + 1; return x + n })(0
