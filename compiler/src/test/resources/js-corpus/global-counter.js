// expect: stateless
{ try { globalThis.n = (globalThis.n || 0) + 1 } catch (e) {} return x + (globalThis.n || 0) }
