// expect: stateless
{ const before = String(Error.stackTraceLimit); try { Error.stackTraceLimit = 0 } catch (e) {} return x + before }
