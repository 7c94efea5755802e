// expect: stateless
{ try { Array[Symbol.species] = function () {} } catch (e) {} try { Object.defineProperty(Array.prototype, "seen", { value: 1 }) } catch (e) {} return x + String([].seen) }
