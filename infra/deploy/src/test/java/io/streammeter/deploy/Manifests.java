package io.streammeter.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes manifests under {@code k8s/}, read into fabric8's model. fabric8 keeps fields it
 * does not know in each object's {@code additionalProperties} instead of failing, so {@link
 * #unknownFields} walks the parsed objects and lists every such field: that is the strict parse.
 */
final class Manifests {
    static final Path DIR = Path.of("k8s");
    static final List<String> FILES = List.of("topics.yaml", "relay.yaml", "metering.yaml");
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Manifests() {}

    /** Every resource of every file, in file order. */
    static List<HasMetadata> all() {
        List<HasMetadata> resources = new ArrayList<>();
        FILES.forEach(file -> resources.addAll(load(DIR.resolve(file))));
        return resources;
    }

    static List<HasMetadata> load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parse(text);
    }

    /** The resources of a multi-document YAML text. */
    static List<HasMetadata> parse(String text) {
        List<HasMetadata> resources = new ArrayList<>();
        for (String document : text.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
                continue;
            }
            resources.add(SERIALIZATION.unmarshal(document, HasMetadata.class));
        }
        return resources;
    }

    static <T extends HasMetadata> T one(Class<T> kind, String name) {
        return all().stream()
                .filter(kind::isInstance)
                .map(kind::cast)
                .filter(r -> r.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
    }

    /**
     * The container's environment as the process would see it: plain values as written, secrets and
     * downward-API fields replaced by stand-ins, {@code $(VAR)} references expanded.
     */
    static Map<String, String> environment(Container container, Map<String, String> standIns) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : container.getEnv()) {
            String value = var.getValue();
            if (value == null) {
                value = standIns.getOrDefault(var.getName(), "stand-in-for-" + var.getName());
            }
            for (Map.Entry<String, String> earlier : env.entrySet()) {
                value = value.replace("$(" + earlier.getKey() + ")", earlier.getValue());
            }
            env.put(var.getName(), value);
        }
        return env;
    }

    /** Paths of fields the model did not know, such as {@code spec.template.spec.replica}. */
    static List<String> unknownFields(Object object) {
        List<String> unknown = new ArrayList<>();
        walk(object, "", unknown);
        return unknown;
    }

    private static void walk(Object object, String path, List<String> unknown) {
        if (object instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", unknown);
            }
            return;
        }
        if (object instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "[" + k + "]", unknown));
            return;
        }
        if (object == null
                || !object.getClass().getName().startsWith("io.fabric8.kubernetes.api")) {
            return;
        }
        for (Method getter : object.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(object);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(getter.toString(), e);
            }
            String field = path + "." + uncapitalize(getter.getName().substring(3));
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(k -> unknown.add((path + "." + k).substring(1)));
                }
            } else {
                walk(value, field, unknown);
            }
        }
    }

    private static String uncapitalize(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
