package charter.server.act;

import charter.connect.Guarantee;
import charter.server.CharterServer;
import charter.server.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code charter serve} with the stand-in connector for slack.post on the class path, as a process of
 * its own, for the kill -9 test: {@code ServeWithStandIns CONFIG}. Prints where it listens.
 */
public final class ServeWithStandIns {
    private ServeWithStandIns() {}

    public static void main(String[] args) throws Exception {
        ServerConfig config = ServerConfig.load(Path.of(args[0]), System::getenv);
        CharterServer server = CharterServer.start(config, List.of(FakeToolConnector.factory(Guarantee.EXACTLY_ONCE, Set.of("slack.post"))));
        System.out.println("listening on port " + server.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
