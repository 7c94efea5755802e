// Run once in every new sandbox context, before any Program function is defined.
// It removes what a pure function must not reach (wall clock, randomness, the
// engine's non-standard globals) and then freezes every object reachable from the
// global object and the hidden intrinsics, so that no call can leave state behind
// for the next one (prototype pollution, globals, RegExp.$1, ...). It returns the helpers
// Charter itself uses (never reachable from a function's code).
'use strict';
(function (maxBytes) {
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

  // Some Array built-ins loop inside the engine without ever checking for cancellation
  // when given an array-like object with a huge length ([].lastIndexOf.call({length: 2 ** 53 - 1})):
  // such a call cannot be stopped, nor can one on a real but sparse array of length 1e9
  // ([].toReversed makes it dense). They keep working on strings, typed arrays, and arrays and
  // array-likes whose length is an own data property of at most MAX_LENGTH; anything else
  // is refused. A Proxy could lie about its length between two reads, so there is no Proxy.
  // A typed array or buffer larger than the allocation limit is refused before it is
  // allocated: zeroing a gigabyte does not notice a cancel until it is done.
  const RealProxy = g.Proxy;
  const BigArrays = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
                     'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array'];
  const tooBig = (what, bytes) => {
    if (bytes > maxBytes) {
      throw new RangeError(what + ' of ' + bytes + ' bytes is over the allocation limit of Charter functions ('
          + maxBytes + ' bytes)');
    }
  };
  const lengthOf = (a) => {
    if (typeof a === 'number') return a;
    if (a === null || typeof a !== 'object') return 0;
    if (a instanceof ArrayBuffer) return 0;   // a view on a buffer that exists already
    const d = Reflect.getOwnPropertyDescriptor(a, 'length');
    return d !== undefined && 'value' in d && typeof d.value === 'number' ? d.value : 0;
  };
  for (const name of BigArrays) {
    const Real = g[name];
    if (typeof Real !== 'function') continue;
    const checked = new RealProxy(Real, {
      construct(target, args, newTarget) {
        tooBig('new ' + name, lengthOf(args[0]) * Real.BYTES_PER_ELEMENT);
        return Reflect.construct(target, args, newTarget === checked ? target : newTarget);
      },
    });
    Object.defineProperty(Real.prototype, 'constructor', { value: checked });
    g[name] = checked;
  }
  const RealBuffer = ArrayBuffer;
  const checkedBuffer = new RealProxy(RealBuffer, {
    construct(target, args, newTarget) {
      tooBig('new ArrayBuffer', typeof args[0] === 'number' ? args[0] : 0);
      const options = args[1];
      if (options !== null && typeof options === 'object') {
        const d = Reflect.getOwnPropertyDescriptor(options, 'maxByteLength');
        if (d !== undefined && !('value' in d && typeof d.value === 'number')) {
          throw new TypeError('maxByteLength must be a plain number in Charter functions');
        }
        if (d !== undefined) tooBig('a resizable ArrayBuffer', d.value);
      }
      return Reflect.construct(target, args, newTarget === checkedBuffer ? target : newTarget);
    },
  });
  Object.defineProperty(RealBuffer.prototype, 'constructor', { value: checkedBuffer });
  g.ArrayBuffer = checkedBuffer;
  delete g.Proxy;
  const MAX_LENGTH = 4194304;
  const RealArray = Array;
  const isArray = RealArray.isArray;
  const isView = ArrayBuffer.isView;
  const getOwn = Reflect.getOwnPropertyDescriptor;
  const apply = Reflect.apply;
  const applyOf = Reflect.apply;
  const tooLong = (a, what) => {
    throw new RangeError(what + ' is not available on an array of length ' + a.length
        + ' in Charter functions (at most ' + MAX_LENGTH + ')');
  };
  const boundedArrayLike = (o, what) => {
    if (isArray(o)) {
      if (o.length > MAX_LENGTH) tooLong(o, what);
      return;
    }
    if (o === null || o === undefined || typeof o === 'string') return;
    if (typeof o !== 'object' && typeof o !== 'function') return;
    if (isView(o) || o instanceof String) return;
    const d = getOwn(o, 'length');
    if (d !== undefined && !('value' in d && typeof d.value === 'number')) {
      throw new TypeError(what + ' is not available in Charter functions on an array-like whose length is not a plain number');
    }
    const n = d === undefined ? 0 : d.value;
    if (!(n <= MAX_LENGTH)) {
      throw new RangeError(what + ' is not available on an array-like of length ' + d.value
          + ' in Charter functions (at most ' + MAX_LENGTH + ')');
    }
  };
  // The JavaScript runs in GraalJS's interpreter (no JIT on a stock JDK), where every extra call
  // costs: a real array, by far the common case, goes straight to the built-in.
  const guard = (name, original, checkArgs) => {
    const what = 'Array.prototype.' + name;
    const guarded = checkArgs ? {
      [name](...args) {
        if (!isArray(this)) boundedArrayLike(this, what);
        else if (this.length > MAX_LENGTH) tooLong(this, what);
        for (const a of args) boundedArrayLike(a, what);
        return apply(original, this, args);
      },
    }[name] : {
      [name](...args) {
        if (!isArray(this)) boundedArrayLike(this, what);
        else if (this.length > MAX_LENGTH) tooLong(this, what);
        return apply(original, this, args);
      },
    }[name];
    Object.defineProperty(guarded, 'length', { value: original.length });
    return guarded;
  };
  // Arguments are a list built from an array-like: Function.prototype.apply, Reflect.apply and construct.
  const functionApply = Function.prototype.apply;
  Object.defineProperty(Function.prototype, 'apply', {
    value: function apply(thisArg, args) {
      boundedArrayLike(args, 'Function.prototype.apply');
      return applyOf(functionApply, this, [thisArg, args]);
    },
  });
  const reflectConstruct = Reflect.construct;
  Object.defineProperty(Reflect, 'apply', {
    value: function apply(target, thisArg, args) {
      boundedArrayLike(args, 'Reflect.apply');
      return applyOf(target, thisArg, args);
    },
  });
  Object.defineProperty(Reflect, 'construct', {
    value: function construct(target, args, ...newTarget) {
      boundedArrayLike(args, 'Reflect.construct');
      return applyOf(reflectConstruct, undefined, [target, args, ...newTarget]);
    },
  });
  const arrayProto = RealArray.prototype;
  const replaced = new Map();
  for (const key of Reflect.ownKeys(arrayProto)) {
    const d = getOwn(arrayProto, key);
    if (key === 'constructor' || !('value' in d) || typeof d.value !== 'function') continue;
    if (!replaced.has(d.value)) {
      replaced.set(d.value, guard(typeof key === 'symbol' ? 'values' : key, d.value, key === 'concat'));
    }
    Object.defineProperty(arrayProto, key, { value: replaced.get(d.value) });
  }
  const arrayFrom = RealArray.from;
  Object.defineProperty(RealArray, 'from', {
    value: function from(items, ...rest) {
      if (isArray(items) || items === null || items === undefined || items[Symbol.iterator] === undefined) boundedArrayLike(items, 'Array.from');
      return apply(arrayFrom, this, [items, ...rest]);
    },
  });

  // JSON.stringify walks a value inside the engine without checking for cancellation: a sparse
  // array of length 1e9 would be written out as a billion `null`s, gigabytes, by a call that
  // cannot be stopped. Each value it visits therefore goes through a replacer, which is
  // JavaScript and so can be cancelled, and which counts: past MAX_LENGTH values in one call
  // (an array that long is refused at once) the call fails. A caller's replacer function runs
  // first, as usual; a property list is applied by the same replacer, rebuilding each object
  // with the listed keys in list order (only integer-like keys then come first, as in any object).
  const realStringify = JSON.stringify;
  const isRawJSON = typeof JSON.isRawJSON === 'function' ? JSON.isRawJSON : () => false;
  const boxed = (v) => v instanceof Number || v instanceof String || v instanceof Boolean || v instanceof BigInt;
  Object.defineProperty(JSON, 'stringify', {
    value: function stringify(value, replacer, space) {
      const own = typeof replacer === 'function' ? replacer : undefined;
      let list;
      if (isArray(replacer)) {
        list = [];
        for (const k of replacer) {
          const key = typeof k === 'string' ? k : (typeof k === 'number' || k instanceof String || k instanceof Number) ? String(k) : undefined;
          if (key !== undefined && !list.includes(key)) list.push(key);
        }
      }
      let budget = MAX_LENGTH;
      const counting = function (key, v) {
        if (own !== undefined) v = apply(own, this, [key, v]);
        budget -= 1;
        if (budget < 0 || (isArray(v) && v.length > budget)) {
          throw new RangeError('JSON.stringify is not available on a value of more than ' + MAX_LENGTH
              + ' values in Charter functions');
        }
        if (list !== undefined && v !== null && typeof v === 'object' && !isArray(v) && !boxed(v) && !isRawJSON(v)) {
          const picked = {};
          for (const k of list) {
            const p = v[k];
            if (p !== undefined) picked[k] = p;
          }
          return picked;
        }
        return v;
      };
      return apply(realStringify, JSON, [value, counting, space]);
    },
  });

  // For Charter itself, not reachable from a function: a list argument becomes a guest array
  // through the real Array.from (the list is a host array of known, bounded length).
  const trusted = Object.freeze({
    toArray: (list) => apply(arrayFrom, RealArray, [list]),
  });

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
  return trusted;
})
