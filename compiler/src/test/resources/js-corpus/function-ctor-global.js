// expect: stateless
{ let seen = "none"; try { seen = String(Function("return typeof n")()); Function("n = 1")() } catch (e) {} return x + seen }
