package charter.server.mcp;

import io.modelcontextprotocol.util.McpUriTemplateManager;
import io.modelcontextprotocol.util.McpUriTemplateManagerFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * URI templates where {@code {+name}} (RFC 6570's reserved expansion) takes slashes, as a Program
 * file's path ({@code rules/deploy.charter}) and a repository's key ({@code acme/api}) need;
 * {@code {name}} takes one segment, as the SDK's own templates do.
 */
final class ReservedUriTemplates implements McpUriTemplateManagerFactory {
    private static final Pattern VARIABLE = Pattern.compile("\\{(\\+?)([A-Za-z0-9_]+)\\}");

    @Override
    public McpUriTemplateManager create(String template) {
        List<String> names = new ArrayList<>();
        StringBuilder regex = new StringBuilder("^");
        Matcher m = VARIABLE.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start())));
            regex.append(m.group(1).isEmpty() ? "([^/]+)" : "(.+)");
            names.add(m.group(2));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last))).append('$');
        Pattern pattern = Pattern.compile(regex.toString());
        return new McpUriTemplateManager() {
            @Override
            public List<String> getVariableNames() {
                return List.copyOf(names);
            }

            @Override
            public Map<String, String> extractVariableValues(String uri) {
                Map<String, String> values = new LinkedHashMap<>();
                Matcher v = pattern.matcher(uri);
                if (v.matches()) for (int i = 0; i < names.size(); i++) values.put(names.get(i), v.group(i + 1));
                return values;
            }

            @Override
            public boolean matches(String uri) {
                return pattern.matcher(uri).matches();
            }

            @Override
            public boolean isUriTemplate(String uri) {
                return VARIABLE.matcher(uri).find();
            }
        };
    }
}
