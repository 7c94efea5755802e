// expect: stateless
{ const before = typeof RegExp.$1 === "string" ? RegExp.$1 : ""; /(.)/.exec(x + "z"); return x + before }
