package charter.bench.serve;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One keep-alive HTTP/1.1 connection over a plain blocking socket, used by one load worker at a
 * time. A hand-rolled client rather than {@code java.net.http.HttpClient}: on a 2-core machine the
 * load generator shares the CPU with the server it measures, and this one costs little more than
 * the socket writes and reads (no selector thread, no futures, no header maps), so more of the
 * machine is left to the server. It speaks only what the benchmark needs: a request with a body
 * and a Content-Length, and a response framed by Content-Length or chunked encoding.
 */
public final class HttpConnection implements AutoCloseable {
    /** A response: the status, the headers (names in lower case) and the body bytes. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final InetSocketAddress address;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public HttpConnection(InetSocketAddress address, int timeoutMillis) {
        this.address = address;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Sends one request and reads its whole response. On an I/O failure the connection is closed
     * (the next call reconnects) and the exception is thrown: the caller counts it as an error.
     */
    public Response send(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        try {
            if (socket == null) connect();
            out.write(head(method, path, headers, body.length));
            out.write(body);
            out.flush();
            return read();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(timeoutMillis);
        s.connect(address, timeoutMillis);
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
        out = new java.io.BufferedOutputStream(s.getOutputStream(), 64 * 1024);
    }

    private byte[] head(String method, String path, Map<String, String> headers, int length) {
        StringBuilder b = new StringBuilder(256);
        b.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        b.append("Host: ").append(address.getHostString()).append(':').append(address.getPort()).append("\r\n");
        for (Map.Entry<String, String> h : headers.entrySet()) b.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        b.append("Content-Length: ").append(length).append("\r\n\r\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private Response read() throws IOException {
        String status = line();
        // "HTTP/1.1 202 Accepted"
        if (!status.startsWith("HTTP/1.") || status.length() < 12) throw new IOException("not an HTTP status line: " + status);
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        Map<String, String> headers = new java.util.HashMap<>();
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            if (colon < 0) continue;
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            headers.put(name, value);
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        byte[] body;
        if (chunked) body = chunked();
        else if (length >= 0) body = in.readNBytes((int) length);
        else {
            body = in.readAllBytes();   // framed by the end of the connection
            closeAfter = true;
        }
        if (length >= 0 && body.length != length) throw new EOFException("response body cut short");
        if (closeAfter) close();
        return new Response(code, headers, body);
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                while (!line().isEmpty()) { }   // trailers
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(n);
            if (chunk.length != n) throw new EOFException("chunk cut short");
            body.write(chunk);
            line();
        }
    }

    /** A header line without its CRLF (ISO-8859-1, as HTTP/1.1 headers are). */
    private String line() throws IOException {
        StringBuilder b = new StringBuilder(64);
        while (true) {
            int c = in.read();
            if (c < 0) throw new EOFException("connection closed by the server");
            if (c == '\n') {
                int n = b.length();
                if (n > 0 && b.charAt(n - 1) == '\r') b.setLength(n - 1);
                return b.toString();
            }
            b.append((char) c);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken connection: nothing left to do
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
