package io.streammeter.config;

import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Writes the reference of a component's keys in Markdown, from its {@link ConfigDef}: name, type,
 * default, accepted values, environment variable and meaning. docs/configuration.md is made of
 * these sections, so the documentation cannot drift from the definitions.
 */
public final class ConfigDocs {
    private ConfigDocs() {}

    /**
     * One component's section.
     *
     * @param title heading, such as {@code Relay}
     * @param intro a paragraph on how the component reads its configuration
     * @param loader the component's loader: definitions, environment prefix, pass-through
     */
    public static String section(String title, String intro, ConfigLoader loader) {
        StringBuilder md = new StringBuilder();
        md.append("## ").append(title).append("\n\n").append(intro.strip()).append("\n\n");
        md.append("File: ")
                .append(loader.fileFormat().name().toLowerCase(Locale.ROOT))
                .append(" (`--config=FILE` or `")
                .append(loader.configEnv())
                .append("`).\n\n");
        md.append("| Key | Type | Default | Accepted values | Environment variable | Meaning |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (ConfigDef.ConfigKey key : loader.definition().configKeys().values()) {
            md.append("| `")
                    .append(key.name)
                    .append("` | ")
                    .append(type(key))
                    .append(" | ")
                    .append(defaultValue(key))
                    .append(" | ")
                    .append(cell(ConfigLoader.accepted(key)))
                    .append(" | `")
                    .append(loader.envName(key.name))
                    .append("` | ")
                    .append(cell(key.documentation))
                    .append(" |\n");
        }
        for (String prefix : loader.passThrough()) {
            md.append("| `")
                    .append(prefix)
                    .append("*` | pass-through | | any Kafka client setting | `")
                    .append(loader.envName(prefix))
                    .append(
                            "*` (lower-cased, `_` read as `.`) | passed to Kafka without the prefix |\n");
        }
        return md.append('\n').toString();
    }

    /** The whole document: {@code intro}, then each section. */
    public static String document(String intro, List<String> sections) {
        return intro.strip() + "\n\n" + String.join("", sections).strip() + "\n";
    }

    private static String type(ConfigDef.ConfigKey key) {
        if (key.validator instanceof ConfigTypes.Kind kind && kind.type() != null) {
            return kind.type();
        }
        return key.type == ConfigDef.Type.PASSWORD
                ? "secret"
                : key.type.name().toLowerCase(Locale.ROOT);
    }

    private static String defaultValue(ConfigDef.ConfigKey key) {
        if (!key.hasDefault() || key.defaultValue == null) {
            return "(none)";
        }
        String text = ConfigDef.convertToString(key.defaultValue, key.type);
        return text == null || text.isEmpty() ? "\"\"" : "`" + text + "`";
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }
}
