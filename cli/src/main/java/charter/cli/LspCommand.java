package charter.cli;

import charter.lsp.LanguageServerLauncher;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "lsp", description = {
        "The language server, for editors: speaks the Language Server Protocol on stdin and stdout.",
        "Diagnostics as you type (the whole Program folder, open buffers over the files on disk), completion",
        "of event types, fields, tools and their arguments, people and teams, hover, go to definition,",
        "document symbols and formatting. Logs go to stderr. Editors start it; see docs/editor.md."})
final class LspCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        // stdout carries the protocol and nothing else: whatever prints to System.out from here on goes to stderr.
        FileOutputStream protocolOut = new FileOutputStream(FileDescriptor.out);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        String version = new Version().getVersion()[0];
        return LanguageServerLauncher.serve(new FileInputStream(FileDescriptor.in), protocolOut, version);
    }
}
