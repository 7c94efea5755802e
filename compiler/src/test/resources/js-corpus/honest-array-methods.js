// expect: value a,b,c|c,b,a|3|abc|true
{ const a = ["b", x, "c"].sort(); return [a.join(","), a.toReversed().join(","), a.concat([1]).length - 1, a.reduce((s, c) => s + c, ""), a.includes(x)].join("|") }
