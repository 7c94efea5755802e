// expect: value {"n":10,"d":"1970-01-01T00:00:00.000Z","s":"q","m":[20,30],"x":"a"}
{ return JSON.stringify({n: 1, d: new Date(0), s: new String("q"), m: [2, 3], x}, function (k, v) { return typeof v === "number" ? v * 10 : v }) }
