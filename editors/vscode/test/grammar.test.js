// The TextMate grammar, run by the same engine as VS Code's (vscode-textmate with the Oniguruma
// regular expressions): it must tokenize every file of the acme Program without leaving a
// block open, give the expected scopes to each kind of token, and know every keyword of the
// language's lexer (grammar/src/main/antlr4/charter/grammar/CharterLexer.g4).
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const root = path.resolve(__dirname, '..', '..', '..');
const acme = path.join(root, 'program-examples', 'acme');

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    // source.js is VS Code's own grammar: not needed to tokenize Charter around it.
    loadGrammar: async (scopeName) => scopeName === 'source.charter'
      ? vsctm.parseRawGrammar(fs.readFileSync(path.join(__dirname, '..', 'syntaxes', 'charter.tmLanguage.json'), 'utf8'), 'charter.tmLanguage.json')
      : null,
  });
  return registry.loadGrammar('source.charter');
}

/** Every token of a text as { text, scopes, line }. */
function tokenize(grammar, text) {
  let stack = vsctm.INITIAL;
  const out = [];
  text.split('\n').forEach((line, i) => {
    const result = grammar.tokenizeLine(line, stack);
    for (const t of result.tokens) out.push({ text: line.substring(t.startIndex, t.endIndex), scopes: t.scopes, line: i + 1 });
    stack = result.ruleStack;
  });
  return { tokens: out, stack };
}

function scopeOf(tokens, text) {
  const t = tokens.find((tok) => tok.text === text);
  assert.ok(t, `no token ${JSON.stringify(text)}`);
  return t.scopes.join(' ');
}

test('every acme file tokenizes and closes every block it opens', async () => {
  const grammar = await loadGrammar();
  const files = fs.readdirSync(acme).filter((f) => f.endsWith('.charter'));
  assert.ok(files.length >= 5, `acme files: ${files}`);
  for (const f of files) {
    const { tokens, stack } = tokenize(grammar, fs.readFileSync(path.join(acme, f), 'utf8'));
    assert.ok(tokens.length > 0, f);
    assert.strictEqual(stack.depth, 1, `${f}: a string, comment or block is still open at the end`);
  }
});

test('the kinds of token get their scopes', async () => {
  const grammar = await loadGrammar();
  const { tokens } = tokenize(grammar, fs.readFileSync(path.join(acme, 'deploys.charter'), 'utf8'));
  assert.match(scopeOf(tokens, 'rule'), /storage\.type/);
  assert.match(scopeOf(tokens, 'page_on_failed_prod_deploy'), /entity\.name\.function/);
  assert.match(scopeOf(tokens, 'vercel.deployment.error'), /entity\.name\.type\.event/);
  assert.match(scopeOf(tokens, 'when'), /keyword\.control/);
  assert.match(scopeOf(tokens, '#incidents'), /string\.quoted/);
  assert.match(scopeOf(tokens, 'post'), /support\.function\.tool/);
  assert.match(scopeOf(tokens, '1h'), /constant\.numeric\.duration/);
  assert.match(tokens.find((t) => t.text.startsWith('// Vercel')).scopes.join(' '), /comment\.line/);
  // Inside an interpolation the expression is code again, not string.
  const interpolated = tokenize(grammar, 'x: "Deploy of ${d.project} failed"').tokens;
  assert.match(scopeOf(interpolated, '${'), /meta\.interpolation/);
});

test('a JavaScript function body is marked as embedded JavaScript, nested braces included', async () => {
  const grammar = await loadGrammar();
  const text = 'function js f(a: number): number {\n  if (a > 1) { return { x: 1 }.x }\n  return a\n}\nrule r { when github.push p then slack.post(channel: "#a", text: "b") }';
  const { tokens, stack } = tokenize(grammar, text);
  assert.match(tokens.find((t) => t.text.includes('return a')).scopes.join(' '), /meta\.embedded\.block\.javascript/);
  assert.doesNotMatch(scopeOf(tokens, 'when'), /javascript/);
  assert.strictEqual(stack.depth, 1);
});

test('every keyword of the lexer is highlighted', async () => {
  const grammar = await loadGrammar();
  const lexer = fs.readFileSync(path.join(root, 'grammar', 'src', 'main', 'antlr4', 'charter', 'grammar', 'CharterLexer.g4'), 'utf8');
  const keywords = [...lexer.matchAll(/^[A-Z_]+\s*:\s*'([a-z]+)'\s*;/gm)].map((m) => m[1]);
  assert.ok(keywords.length >= 40, `keywords read from the lexer: ${keywords}`);
  for (const k of keywords) {
    const { tokens } = tokenize(grammar, `x ${k} y`);
    assert.match(scopeOf(tokens, k), /keyword|storage|constant\.language|variable\.language/, `keyword ${k}`);
  }
});
