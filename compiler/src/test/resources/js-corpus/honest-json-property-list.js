// expect: value {"b":[1,null,"a"],"a":{"b":2}}
{ return JSON.stringify({a: {b: 2, c: 3}, b: [1, undefined, x], c: 4}, ["b", "a", "b"]) }
