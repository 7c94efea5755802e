// expect: run-error
{ return String(/^(a|a?)+(\1)*$/.test("a".repeat(40) + "b")) }
