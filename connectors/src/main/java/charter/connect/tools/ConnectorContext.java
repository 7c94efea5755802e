package charter.connect.tools;

import charter.connect.http.HttpTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;

/** What every connector of one factory shares: the HTTP client, the clock and the JSON mapper. */
public record ConnectorContext(HttpTransport transport, Clock clock, ObjectMapper json, Duration timeout) {}
