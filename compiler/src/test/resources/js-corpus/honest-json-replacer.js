// expect: value 9|  "n": 10,
{ const s = JSON.stringify({n: 1, d: new Date(0), s: new String("q"), m: [2, 3]}, function (k, v) { return typeof v === "number" ? v * 10 : v }, 2).split("\n"); return s.length + "|" + s[1] }
