// expect: stateless
{ const s = Symbol.for("charter-seen"); try { Object.defineProperty(Object, s, { value: 1 }) } catch (e) {} return x + String(Object[s]) }
