package io.streammeter.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The manifests applied to fabric8's Kubernetes mock API server, and read back unchanged. */
@EnableKubernetesMockClient(crud = true)
class ManifestsApplyTest {
    static final String NAMESPACE = "streammeter";
    static final ResourceDefinitionContext KAFKA_TOPIC =
            new ResourceDefinitionContext.Builder()
                    .withGroup("kafka.strimzi.io")
                    .withVersion("v1beta2")
                    .withKind("KafkaTopic")
                    .withPlural("kafkatopics")
                    .withNamespaced(true)
                    .build();

    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void registerStrimzi() {
        server.expectCustomResource(
                new io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext.Builder()
                        .withGroup(KAFKA_TOPIC.getGroup())
                        .withVersion(KAFKA_TOPIC.getVersion())
                        .withKind(KAFKA_TOPIC.getKind())
                        .withPlural(KAFKA_TOPIC.getPlural())
                        .withScope("Namespaced")
                        .build());
    }

    @Test
    void shouldApplyEveryResourceAndReadItBack() {
        List<HasMetadata> resources = Manifests.all();
        // Twice, as `kubectl apply` is run again on every release: create, then update in place.
        for (int round = 0; round < 2; round++) {
            for (HasMetadata resource : resources) {
                HasMetadata applied =
                        client.resource(resource)
                                .inNamespace(NAMESPACE)
                                .createOr(NonDeletingOperation::update);
                assertNotNull(applied, resource.getKind());
            }
        }

        for (HasMetadata resource : resources) {
            HasMetadata stored =
                    resource instanceof GenericKubernetesResource
                            ? client.genericKubernetesResources(KAFKA_TOPIC)
                                    .inNamespace(NAMESPACE)
                                    .withName(resource.getMetadata().getName())
                                    .get()
                            : client.resource(resource).inNamespace(NAMESPACE).get();
            assertNotNull(stored, resource.getKind() + " " + resource.getMetadata().getName());
            assertEquals(resource.getKind(), stored.getKind());
        }
        assertEquals(
                StrimziTopics.DEPLOYED.all().size(),
                client.genericKubernetesResources(KAFKA_TOPIC)
                        .inNamespace(NAMESPACE)
                        .list()
                        .getItems()
                        .size());
        StatefulSet metering =
                client.apps()
                        .statefulSets()
                        .inNamespace(NAMESPACE)
                        .withName("streammeter-metering")
                        .get();
        assertEquals(
                Manifests.one(StatefulSet.class, "streammeter-metering").getSpec(),
                metering.getSpec(),
                "the API server kept the spec as written");
    }
}
