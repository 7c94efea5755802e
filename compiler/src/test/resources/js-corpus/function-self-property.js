// expect: stateless
{ const f = function () {}; try { f.constructor.prototype.n = 1 } catch (e) {} try { Function.prototype.seen = (Function.prototype.seen || 0) + 1 } catch (e) {} return x + String(Function.prototype.seen) }
