// expect: run-error
{ return [].join.call({length: 2 ** 53 - 1}, "") }
