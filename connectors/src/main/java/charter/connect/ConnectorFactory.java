package charter.connect;

import java.util.Optional;
import java.util.Set;

/** Makes a tenant's connector for a tool from its endpoint. */
public interface ConnectorFactory {

    /** The catalog tools this factory can serve. */
    Set<String> tools();

    /** The connector for {@code tool} talking to {@code endpoint}, or empty when the tool is not one of {@link #tools()}. */
    Optional<Connector> create(String tool, ToolEndpoint endpoint);
}
