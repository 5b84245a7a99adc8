package io.streammeter.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every manifest parses strictly into fabric8's Kubernetes model, and the topics stay in step. */
class ManifestsTest {
    static final ObjectMapper STRICT =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The fields Strimzi's KafkaTopic spec has that we use; anything else is a typo. */
    record KafkaTopicSpec(
            String topicName, int partitions, int replicas, Map<String, String> config) {}

    @Test
    void shouldParseEveryResourceWithoutUnknownFields() {
        List<HasMetadata> resources = Manifests.all();
        assertEquals(
                List.of(
                        "KafkaTopic",
                        "KafkaTopic",
                        "KafkaTopic",
                        "KafkaTopic",
                        "KafkaTopic",
                        "KafkaTopic",
                        "KafkaTopic",
                        "KafkaTopic",
                        "KafkaTopic",
                        "Deployment",
                        "Service",
                        "HorizontalPodAutoscaler",
                        "PodDisruptionBudget",
                        "StatefulSet",
                        "Service",
                        "Service",
                        "PodDisruptionBudget"),
                resources.stream().map(HasMetadata::getKind).toList());
        for (HasMetadata resource : resources) {
            if (resource instanceof GenericKubernetesResource) {
                continue; // a custom resource: checked against its own shape below
            }
            assertEquals(
                    List.of(),
                    Manifests.unknownFields(resource),
                    resource.getKind() + " " + resource.getMetadata().getName());
        }
    }

    /** The part of a kustomization these manifests use; anything else is a typo. */
    record Kustomization(
            String apiVersion, String kind, List<String> resources, List<Image> images) {
        record Image(String name, String newTag) {}
    }

    @Test
    void shouldDeployExactlyTheCheckedFilesThroughKustomize() throws Exception {
        Kustomization kustomization =
                new ObjectMapper(new YAMLFactory())
                        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .readValue(
                                Manifests.DIR.resolve("kustomization.yaml").toFile(),
                                Kustomization.class);
        assertEquals("Kustomization", kustomization.kind());
        assertEquals(Manifests.FILES, kustomization.resources());
        assertEquals("streammeter", kustomization.images().get(0).name());
        assertEquals(
                System.getProperty("image.tag"),
                kustomization.images().get(0).newTag(),
                "the kustomization deploys the image this build makes");
    }

    @Test
    void shouldReportAFieldTheModelDoesNotKnow() {
        HasMetadata typo =
                Manifests.parse(
                                """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata:
                          name: x
                        spec:
                          replica: 2
                          template:
                            spec:
                              containers:
                                - name: c
                                  imagePullPolice: Always
                        """)
                        .get(0);
        assertEquals(
                List.of("spec.replica", "spec.template.spec.containers[0].imagePullPolice"),
                Manifests.unknownFields(typo).stream().sorted().toList());
    }

    @Test
    void shouldGiveKafkaTopicsOnlyStrimziFields() {
        for (HasMetadata resource : Manifests.all()) {
            if (resource instanceof GenericKubernetesResource topic) {
                assertEquals(StrimziTopics.API_VERSION, topic.getApiVersion());
                assertEquals(
                        Map.of(StrimziTopics.CLUSTER_LABEL, StrimziTopics.CLUSTER),
                        topic.getMetadata().getLabels());
                assertEquals(
                        List.of("spec"), List.copyOf(topic.getAdditionalProperties().keySet()));
                KafkaTopicSpec spec =
                        STRICT.convertValue(
                                topic.getAdditionalProperties().get("spec"), KafkaTopicSpec.class);
                assertEquals(topic.getMetadata().getName(), spec.topicName());
            }
        }
    }

    @Test
    void shouldKeepTheTopicsInStepWithTheCatalog() throws Exception {
        String committed = Files.readString(Manifests.DIR.resolve("topics.yaml"));
        String generated = StrimziTopics.render(StrimziTopics.DEPLOYED, StrimziTopics.CLUSTER);
        assertEquals(
                generated,
                committed,
                "k8s/topics.yaml is out of date: regenerate it with StrimziTopics.main");
    }

    @Test
    void shouldDeclareThreeReplicasTwoInSyncForEveryTopic() {
        for (HasMetadata resource : Manifests.all()) {
            if (resource instanceof GenericKubernetesResource topic) {
                KafkaTopicSpec spec =
                        STRICT.convertValue(
                                topic.getAdditionalProperties().get("spec"), KafkaTopicSpec.class);
                assertEquals(3, spec.replicas(), spec.topicName());
                assertEquals("2", spec.config().get("min.insync.replicas"), spec.topicName());
            }
        }
    }

    @Test
    void shouldScaleTheRelayOnCpu() {
        HorizontalPodAutoscaler hpa =
                Manifests.one(HorizontalPodAutoscaler.class, "streammeter-relay");
        assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
        assertEquals(
                Manifests.one(Deployment.class, "streammeter-relay").getMetadata().getName(),
                hpa.getSpec().getScaleTargetRef().getName());
        assertEquals("cpu", hpa.getSpec().getMetrics().get(0).getResource().getName());
        assertTrue(hpa.getSpec().getMinReplicas() >= 2, "one relay is no load balancing");
    }

    @Test
    void shouldGiveMeteringPersistentStateAndAStableNamePerInstance() {
        StatefulSet metering = Manifests.one(StatefulSet.class, "streammeter-metering");
        Service headless = Manifests.one(Service.class, metering.getSpec().getServiceName());
        assertEquals("None", headless.getSpec().getClusterIP());
        assertEquals(
                metering.getSpec().getSelector().getMatchLabels(),
                headless.getSpec().getSelector());
        String claim = metering.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();
        assertTrue(
                metering
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getVolumeMounts()
                        .stream()
                        .anyMatch(m -> m.getName().equals(claim)),
                "the state claim is mounted");
    }
}
