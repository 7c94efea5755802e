// expect: check
{ return x } /* */ ) ; (function g(x) { return x + "!" } //
}
