// expect: run-error
{ const p = new Proxy([], { get: (t, k) => k === "length" ? 2 ** 53 - 1 : t[k] }); return String(p.lastIndexOf(x)) }
