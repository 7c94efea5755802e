// expect: value 4194304|-1
{ const a = []; a.length = 4194304; return a.length + "|" + a.indexOf(x) }
