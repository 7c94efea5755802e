// expect: value 2026
{ return String(Reflect.construct(Date, [Date.UTC(2026, 2, 6)]).getUTCFullYear()) }
