// expect: run-error
// issue 12 item 7: a built-in that loops inside the engine and never checks for cancellation
{ return String([].lastIndexOf.call({length: 2 ** 53 - 1}, x)) }
