// expect: run-error
{ return String(Reflect.apply(Array.prototype.lastIndexOf, {length: 2 ** 53 - 1}, [x])) }
