// expect: value 1:1:A,B
{ const args = (function () { return arguments })(x, "b"); return [].indexOf.call(args, "b") + ":" + Array.prototype.lastIndexOf.call({length: 2, 1: x}, x) + ":" + [].map.call("ab", (c) => c.toUpperCase()).join(",") }
