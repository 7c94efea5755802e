// expect: run-error
{ return String([].indexOf.call({length: 2 ** 53 - 1}, x)) }
