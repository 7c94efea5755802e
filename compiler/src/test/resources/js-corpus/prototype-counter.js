// expect: stateless
{ try { Object.prototype.n = (({}).n || 0) + 1 } catch (e) {} return x + (({}).n || 0) }
