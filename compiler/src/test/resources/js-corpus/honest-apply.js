// expect: value 3:a-b
{ return Math.max.apply(null, [1, 3, 2]) + ":" + Reflect.apply(Array.prototype.join, [x, "b"], ["-"]) }
