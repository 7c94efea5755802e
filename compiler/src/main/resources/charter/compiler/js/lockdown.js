// Run once in every new sandbox context, before any Program function is defined.
// It removes what a pure function must not reach (wall clock, randomness, the
// engine's non-standard globals) and then freezes every object reachable from the
// global object and the hidden intrinsics, so that no call can leave state behind
// for the next one (prototype pollution, globals, RegExp.$1, ...).
'use strict';
(function () {
  const g = globalThis;
  for (const name of ['load', 'loadWithNewGlobal', 'print', 'printErr', 'console', 'Graal', 'Polyglot', 'Java',
                      'Packages', 'eval', 'SharedArrayBuffer', 'Atomics', 'WeakRef', 'FinalizationRegistry', 'Intl',
                      'arguments', 'quit', 'read', 'readbuffer', 'readline']) {
    if (Object.prototype.hasOwnProperty.call(g, name)) delete g[name];
  }
  const unavailable = (what, why) => function () {
    throw new TypeError(what + ' is not available in Charter functions: ' + why);
  };
  const clock = 'it reads the wall clock; pass the time in as an argument';
  Math.random = unavailable('Math.random()', 'functions must be deterministic');

  const RealDate = Date;
  const SafeDate = function Date(...args) {
    if (new.target === undefined) throw new TypeError('Date() is not available in Charter functions: ' + clock);
    if (args.length === 0) {
      throw new TypeError('new Date() is not available in Charter functions: ' + clock
          + ' (new Date(millis) and new Date("2024-05-01T10:00:00Z") work)');
    }
    return Reflect.construct(RealDate, args, new.target);
  };
  SafeDate.prototype = RealDate.prototype;
  Object.defineProperty(RealDate.prototype, 'constructor', { value: SafeDate, writable: true, configurable: true });
  SafeDate.UTC = RealDate.UTC;
  SafeDate.parse = RealDate.parse;
  SafeDate.now = unavailable('Date.now()', clock);
  g.Date = SafeDate;

  // The legacy RegExp statics (RegExp.$1, lastMatch, ...) remember the previous match.
  for (const key of Object.getOwnPropertyNames(RegExp)) {
    if (!['length', 'name', 'prototype'].includes(key)) {
      try { delete RegExp[key]; } catch (e) { /* not configurable: frozen below */ }
    }
  }

  const roots = [g];
  const hidden = [
    () => Object.getPrototypeOf(function* () {}),
    () => Object.getPrototypeOf(async function () {}),
    () => Object.getPrototypeOf(async function* () {}),
    () => Object.getPrototypeOf([][Symbol.iterator]()),
    () => Object.getPrototypeOf(new Map()[Symbol.iterator]()),
    () => Object.getPrototypeOf(new Set()[Symbol.iterator]()),
    () => Object.getPrototypeOf(''[Symbol.iterator]()),
    () => Object.getPrototypeOf(/a/[Symbol.matchAll]('')),
    () => Object.getPrototypeOf(Int8Array),
    () => Object.getPrototypeOf([].values().map((x) => x)),
    () => Object.getOwnPropertyDescriptor((function () { return arguments; })(), 'callee').get,
  ];
  for (const h of hidden) {
    try { roots.push(h()); } catch (e) { /* not in this engine version */ }
  }
  const seen = new Set();
  const stack = roots.slice();
  while (stack.length > 0) {
    const o = stack.pop();
    if ((typeof o !== 'object' && typeof o !== 'function') || o === null || seen.has(o)) continue;
    seen.add(o);
    Object.freeze(o);
    stack.push(Object.getPrototypeOf(o));
    for (const key of Reflect.ownKeys(o)) {
      const d = Reflect.getOwnPropertyDescriptor(o, key);
      if (d === undefined) continue;
      if ('value' in d) stack.push(d.value);
      else { stack.push(d.get); stack.push(d.set); }
    }
  }
})();
