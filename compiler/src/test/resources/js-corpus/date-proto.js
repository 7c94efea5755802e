// expect: stateless
{ try { Date.prototype.seen = 1 } catch (e) {} try { Date.UTC.seen = 1 } catch (e) {} return x + String(Date.prototype.seen) }
