#!/usr/bin/env bash
# Builds the VS Code extension: editors/vscode/charter-VERSION.vsix.
#   editors/vscode/package.sh          install the npm packages into this folder, test the grammar, package
# Everything is installed here (node_modules/), nothing globally; needs Node.js 20+ and npm.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
command -v npm >/dev/null || { echo "package.sh: npm is not installed (Node.js 20+ with npm is needed)" >&2; exit 1; }
# The exact versions of package-lock.json when there is one, so every build packs the same thing.
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi
# The grammar tokenizes the acme Program as expected, and knows every keyword of the lexer.
node --test test/
version=$(node -p "require('./package.json').version")
# No repository or licence fields: the extension ships inside Charter's repository, not on the Marketplace.
npx --no-install vsce package --skip-license --allow-missing-repository --out "charter-$version.vsix"
# What VS Code needs from the package: the manifest, the client, the grammar, the language client library.
# (The listing is read once: `unzip | grep -q` fails under pipefail when grep stops reading early.)
listing=$(unzip -l "charter-$version.vsix")
for f in extension/package.json extension/extension.js extension/language-configuration.json \
         extension/syntaxes/charter.tmLanguage.json extension/node_modules/vscode-languageclient/node.js; do
  grep -q " $f\$" <<<"$listing" || { echo "package.sh: $f is missing from charter-$version.vsix" >&2; exit 1; }
done
echo "package.sh: editors/vscode/charter-$version.vsix"
