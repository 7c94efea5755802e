// expect: value 2:a,a
// what the lockdown guards must keep working
{ const a = Array.from([x, x]); const b = Array.from({length: 2}, () => x); return a.length + ":" + b.join(",") }
