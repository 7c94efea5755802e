// Starts `charter lsp` for .charter files and restarts it when its settings change.
// The language server does the work (diagnostics, completion, hover, definitions, outline,
// formatting); this file only finds the command and connects VS Code to it over stdio.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration('charter');
  const command = config.get('path') || 'charter';
  const args = ['lsp', ...(config.get('args') || [])];
  return { command, args, options: { env: process.env } };
}

function clientOptions() {
  return {
    documentSelector: [{ scheme: 'file', language: 'charter' }],
    // A Program is a folder: a change to charter.yaml or to a file that is not open is checked too.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/{charter.yaml,*.charter}') },
  };
}

async function start() {
  client = new LanguageClient('charter', 'Charter', serverOptions(), clientOptions());
  try {
    await client.start();
  } catch (err) {
    const command = serverOptions().command;
    vscode.window.showErrorMessage(`Charter: could not start \`${command} lsp\` (${err.message}). ` +
      'Install Charter or set "charter.path" to the charter command.');
  }
}

async function activate(context) {
  await start();
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (event) => {
    if (event.affectsConfiguration('charter.path') || event.affectsConfiguration('charter.args')) {
      if (client) await client.stop();
      await start();
    }
  }));
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
