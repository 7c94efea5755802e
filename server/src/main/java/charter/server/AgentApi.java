package charter.server;

import charter.compiler.load.ProgramFiles;
import charter.server.mcp.IntentSpec;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What an agent needs to know of the live Program to use it: its intents with their typed
 * parameters (the MCP server makes each a tool), and its files at the live commit (MCP resources).
 */
final class AgentApi {
    void routes(RoutesConfig r, Auth auth) {
        r.get("/v1/program/intents", auth.authed(TokenStore.Scope.READ, this::intents));
        r.get("/v1/program/files", auth.authed(TokenStore.Scope.READ, this::files));
        // `<path>` takes slashes: files sit in folders of the Program.
        r.get("/v1/program/files/<path>", auth.authed(TokenStore.Scope.READ, this::file));
    }

    private void intents(Context ctx, Tenant t) {
        var program = t.program();
        ObjectNode n = CharterServer.JSON.createObjectNode();
        n.put("tenant", t.name);
        n.put("version", program.version());
        ArrayNode list = n.putArray("intents");
        for (IntentSpec s : IntentSpec.of(program)) list.add(s.toJson(CharterServer.JSON));
        CharterServer.reply(ctx, 200, n);
    }

    private void files(Context ctx, Tenant t) {
        ProgramFiles files = t.programFiles();
        ObjectNode n = CharterServer.JSON.createObjectNode();
        n.put("tenant", t.name);
        n.put("version", t.program().version());
        ArrayNode list = n.putArray("files");
        for (Map.Entry<String, byte[]> f : files.files().entrySet()) list.addObject().put("path", f.getKey()).put("bytes", f.getValue().length);
        CharterServer.reply(ctx, 200, n);
    }

    private void file(Context ctx, Tenant t) {
        String path = ctx.pathParam("path");
        byte[] bytes = t.programFiles().files().get(path);
        if (bytes == null) throw new CharterServer.ApiError(404, "unknown_file", "the live Program has no file `" + path + "` (GET /v1/program/files lists them)");
        ObjectNode n = CharterServer.JSON.createObjectNode();
        n.put("tenant", t.name);
        n.put("version", t.program().version());
        n.put("path", path);
        n.put("text", new String(bytes, StandardCharsets.UTF_8));
        CharterServer.reply(ctx, 200, n);
    }
}
