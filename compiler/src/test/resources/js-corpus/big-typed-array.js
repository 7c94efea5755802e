// expect: run-error
{ return String(new Float64Array(2 ** 27).length) }
