// expect: check
// issue 12 item 8: `/` after `of` read as a regular expression, the body closes early and top-level code keeps a counter
{ const of = 4; return (of / 2) + "" }); let n = 0; (function g(x) { n = n + 1; return x + " call #" + n //
}
