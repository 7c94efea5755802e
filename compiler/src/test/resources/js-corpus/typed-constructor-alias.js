// expect: run-error
{ return String(new Float64Array(new Float64Array(1).constructor === Float64Array ? 2 ** 27 : 0).length) }
