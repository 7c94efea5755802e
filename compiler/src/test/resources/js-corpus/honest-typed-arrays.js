// expect: value 8:4:true:3:16
{ const a = new Float64Array(8); const b = Float64Array.from([1, 2, 3, 4]); class Sub extends Uint8Array {} const c = new Sub(3); const buf = new ArrayBuffer(16); return [a.length, b.length, b instanceof Float64Array, c.length, new Uint8Array(buf).length].join(":") }
