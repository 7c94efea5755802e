// expect: run-error
{ let s = x; for (;;) s = s + s; }
