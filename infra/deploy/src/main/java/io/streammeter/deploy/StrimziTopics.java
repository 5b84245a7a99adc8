package io.streammeter.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.streammeter.schemas.Replication;
import io.streammeter.schemas.Topic;
import io.streammeter.schemas.TopicCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders the topic catalog as Strimzi {@code KafkaTopic} resources, so a Kubernetes cluster run by
 * the Strimzi operator gets exactly the topics the code declares. {@code k8s/topics.yaml} is this
 * class's output for {@link #DEPLOYED}; a test fails when the two drift apart. Regenerate with
 * {@code java -cp <classpath> io.streammeter.deploy.StrimziTopics infra/deploy/k8s/topics.yaml}.
 */
public final class StrimziTopics {
    /** The Strimzi API the resources are written in. */
    public static final String API_VERSION = "kafka.strimzi.io/v1beta2";

    /** Label that ties a topic to the Strimzi {@code Kafka} cluster resource of that name. */
    public static final String CLUSTER_LABEL = "strimzi.io/cluster";

    /** Name of the Strimzi {@code Kafka} resource the manifests assume. */
    public static final String CLUSTER = "streammeter";

    /**
     * The deployed catalog: default prefix, twelve partitions (the most metering stream threads
     * that can share the work, over all instances) and three replicas with two in sync.
     */
    public static final TopicCatalog DEPLOYED =
            new TopicCatalog(TopicCatalog.DEFAULT_PREFIX, 12, Replication.REPLICATED);

    private static final ObjectMapper YAML =
            new ObjectMapper(
                    YAMLFactory.builder()
                            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                            .build());

    private StrimziTopics() {}

    /** One YAML document per topic of {@code catalog}, in catalog order, with a header comment. */
    public static String render(TopicCatalog catalog, String cluster) {
        StringBuilder out =
                new StringBuilder(
                        "# Generated from io.streammeter.schemas.TopicCatalog by"
                                + " io.streammeter.deploy.StrimziTopics: do not edit by hand.\n");
        for (Topic<?, ?> topic : catalog.all()) {
            try {
                out.append(
                        YAML.writeValueAsString(resource(topic, catalog.replication(), cluster)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.toString();
    }

    static Map<String, Object> resource(
            Topic<?, ?> topic, Replication replication, String cluster) {
        Map<String, String> config = new TreeMap<>(topic.configs());
        config.putAll(replication.configs());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("topicName", topic.name());
        spec.put("partitions", topic.partitions());
        spec.put("replicas", (int) replication.factor());
        spec.put("config", config);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", topic.name());
        metadata.put("labels", Map.of(CLUSTER_LABEL, cluster));
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("apiVersion", API_VERSION);
        resource.put("kind", "KafkaTopic");
        resource.put("metadata", metadata);
        resource.put("spec", spec);
        return resource;
    }

    /** Writes the deployed topics to the file named by the first argument. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: StrimziTopics OUTPUT.yaml");
        }
        Files.writeString(Path.of(args[0]), render(DEPLOYED, CLUSTER), StandardCharsets.UTF_8);
    }
}
