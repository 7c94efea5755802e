// expect: value a|a|2
{ const out = []; for (const c of [x]) out.push(c); const [first] = new Set([x]); return out.join("") + "|" + first + "|" + [...[x, x]].length }
