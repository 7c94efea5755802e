// expect: run-error
{ while (true) {} }
