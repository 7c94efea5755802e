// expect: run-error
{ return String(Array.prototype.includes.call({length: 2 ** 53 - 1, 0: 1}, x)) }
