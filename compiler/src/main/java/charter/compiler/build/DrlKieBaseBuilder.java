package charter.compiler.build;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.drools.kiesession.rulebase.InternalKnowledgeBase;
import org.drools.kiesession.rulebase.KnowledgeBaseFactory;
import org.kie.api.KieBaseConfiguration;
import org.kie.api.KieServices;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.io.Resource;
import org.kie.api.io.ResourceType;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderConfiguration;
import org.kie.internal.builder.KnowledgeBuilderError;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.io.ResourceFactory;

/**
 * Compiles classic DRL (ECJ) into a STREAM-mode KieBase at run time.
 *
 * <p>Uses a {@link KnowledgeBuilder} directly rather than KieFileSystem/KieBuilder: it is
 * faster (no KieModule, no ReleaseId registered in the KieRepository, so nothing to clean up
 * and nothing that piles up across rebuilds) and it returns errors without logging them at
 * ERROR level, as KieBuilder does. The DRL is still added under a resource path that matches
 * its {@code package} ({@code charter/generated/rules.drl}), so Drools messages name a
 * sensible resource.
 *
 * <p>Thread-safe: each call builds independently. Classes referenced by the DRL
 * ({@code charter.facts.*}) are loaded through this class's class loader.
 */
public final class DrlKieBaseBuilder {
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([A-Za-z_][\\w.]*)\\s*;?");

    private final ClassLoader classLoader;

    public DrlKieBaseBuilder() {
        this(DrlKieBaseBuilder.class.getClassLoader());
    }

    public DrlKieBaseBuilder(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /** Builds {@code drl}; never throws for bad DRL, reports it in {@link BuildOutcome#errors()}. */
    public BuildOutcome build(String drl) {
        KnowledgeBuilderConfiguration kbc =
                KnowledgeBuilderFactory.newKnowledgeBuilderConfiguration(null, classLoader);
        KnowledgeBuilder kb = KnowledgeBuilderFactory.newKnowledgeBuilder(kbc);
        Resource resource = ResourceFactory.newByteArrayResource(drl.getBytes(StandardCharsets.UTF_8));
        resource.setSourcePath(resourcePath(drl));
        resource.setResourceType(ResourceType.DRL);
        try {
            kb.add(resource, ResourceType.DRL);
        } catch (RuntimeException e) {
            return new BuildOutcome(null, List.of("DRL build failed: " + e));
        }
        if (kb.hasErrors()) {
            List<String> errors = new ArrayList<>();
            for (KnowledgeBuilderError error : kb.getErrors()) {
                errors.add(format(error));
            }
            return new BuildOutcome(null, errors);
        }
        KieBaseConfiguration conf = KieServices.get().newKieBaseConfiguration(null, classLoader);
        conf.setOption(EventProcessingOption.STREAM);
        InternalKnowledgeBase kieBase = KnowledgeBaseFactory.newKnowledgeBase(conf);
        kieBase.addPackages(kb.getKnowledgePackages());
        return new BuildOutcome(kieBase, List.of());
    }

    /** {@code src/main/resources}-style path for the DRL's package, e.g. {@code charter/generated/rules.drl}. */
    static String resourcePath(String drl) {
        Matcher m = PACKAGE.matcher(drl);
        String pkg = m.find() ? m.group(1) : "charter.generated";
        return pkg.replace('.', '/') + "/rules.drl";
    }

    private static String format(KnowledgeBuilderError error) {
        int[] lines = error.getLines();
        String message = error.getMessage() == null ? String.valueOf(error) : error.getMessage().strip();
        if (lines != null && lines.length > 0 && lines[0] > 0) {
            return "DRL line " + lines[0] + ": " + message;
        }
        return message;
    }
}
