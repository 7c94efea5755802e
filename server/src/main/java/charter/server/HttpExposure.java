package charter.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How the server faces the network: the address it listens on, and what one client may hold there. */
final class HttpExposure {
    private static final Logger LOG = LoggerFactory.getLogger(HttpExposure.class);

    private HttpExposure() {}

    /** The one connector: on {@code config.host()}, closing silent connections, at most so many per client address. */
    static Connector connector(Server server, HttpConfiguration http, ServerConfig config) {
        http.setSendServerVersion(false);
        ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
        c.setHost(config.host());
        c.setPort(config.port());
        c.setIdleTimeout(config.http().idleTimeout().toMillis());
        c.addBean(new ConnectionsPerClient(config.http().connectionsPerClient()));
        return c;
    }

    /**
     * Fails at once when the address cannot be listened on (a port taken by another process), before
     * the server spends seconds opening its store and compiling every Program. Port 0 is always free.
     */
    static void requireFree(String host, int port) {
        if (port == 0) return;
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);   // as Jetty binds: a port in TIME_WAIT is free
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new ServerConfig.ConfigException("cannot listen on " + host + ":" + port + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + " (is another server using the port? choose another with --port or `port:`)");
        }
    }

    /** {@code host} as it goes in a URL (an IPv6 address in brackets; every interface said as loopback). */
    static String hostForUrl(String host) {
        if (host.equals("0.0.0.0")) return "127.0.0.1";
        if (host.equals("::") || host.equals("[::]")) return "[::1]";
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /**
     * Closes a client's connections beyond {@code limit} as they open. Each request being read holds
     * one of the server's threads, so without this one address opening a few hundred slow
     * connections holds them all, and nobody else (not even {@code /healthz}) is answered.
     */
    static final class ConnectionsPerClient implements Connection.Listener {
        private final int limit;
        private final ConcurrentMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

        ConnectionsPerClient(int limit) {
            this.limit = limit;
        }

        @Override
        public void onOpened(Connection connection) {
            InetAddress client = client(connection);
            if (client == null) return;
            int now = open.merge(client, 1, Integer::sum);
            if (now > limit) {
                LOG.debug("closing a connection from {}: it already holds {} (limits.connections_per_client)", client, limit);
                connection.getEndPoint().close();
            }
        }

        @Override
        public void onClosed(Connection connection) {
            InetAddress client = client(connection);
            if (client != null) open.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
        }

        private static InetAddress client(Connection connection) {
            SocketAddress a = connection.getEndPoint().getRemoteSocketAddress();
            return a instanceof InetSocketAddress i ? i.getAddress() : null;
        }
    }
}
