// expect: run-error
{ return String([].fill.call({length: 2 ** 53 - 1}, 0)) }
