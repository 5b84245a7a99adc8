package io.streammeter.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.streammeter.metering.config.MeteringConfig;
import io.streammeter.relay.config.RelayConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the manifests promise matches what the code reads: every {@code STREAMMETER_*} variable is
 * one the configuration loaders know, the values load, the ports they configure are the ports the
 * containers, probes, Services and scrape annotations name.
 */
class ManifestContractTest {
    /** Variables that are not streammeter settings but are allowed in the manifests. */
    static final Set<String> OTHER_VARIABLES = Set.of("POD_NAME", "JDK_JAVA_OPTIONS");

    static final Map<String, String> SECRETS =
            Map.of(
                    "STREAMMETER_RELAY_KEY_ID_PEPPER", "a-pepper-of-at-least-16-chars",
                    "STREAMMETER_RELAY_RELAY_INSTANCE_ID", "streammeter-relay-7f9c-x2",
                    "POD_NAME", "streammeter-metering-1");

    static final PodTemplateSpec RELAY =
            Manifests.one(Deployment.class, "streammeter-relay").getSpec().getTemplate();
    static final PodTemplateSpec METERING =
            Manifests.one(StatefulSet.class, "streammeter-metering").getSpec().getTemplate();

    @Test
    void shouldNameOnlyRelaySettingsTheRelayReads() {
        Set<String> known =
                RelayConfig.DEFINITION.names().stream()
                        .map(RelayConfig.LOADER::envName)
                        .collect(Collectors.toSet());
        String producer = RelayConfig.LOADER.envName(RelayConfig.PRODUCER_PREFIX);
        for (String name : environment(RELAY).keySet()) {
            assertTrue(
                    known.contains(name)
                            || name.startsWith(producer)
                            || OTHER_VARIABLES.contains(name),
                    name + " is not a relay setting");
        }
    }

    @Test
    void shouldNameOnlyMeteringSettingsMeteringReads() {
        String prefix = "STREAMMETER_METERING_";
        Set<String> known =
                MeteringConfig.DEFINITION.names().stream()
                        .map(MeteringConfig.LOADER::envName)
                        .collect(Collectors.toSet());
        for (String name : environment(METERING).keySet()) {
            assertTrue(
                    known.contains(name)
                            || name.startsWith(prefix + "KAFKA_")
                            || OTHER_VARIABLES.contains(name),
                    name + " is not a metering setting");
        }
    }

    @Test
    void shouldServeTheRelayOnThePortItsProbesServiceAndScrapeName() {
        RelayConfig config = RelayConfig.load(new String[0], environment(RELAY));
        ContainerPort port = port(RELAY, "http");
        assertEquals(config.listenPort(), port.getContainerPort());
        assertProbes(container(RELAY), "http");
        assertScraped(RELAY, port);
        assertTargets(Manifests.one(Service.class, "streammeter-relay"), "http");
        assertEquals(StrimziTopics.DEPLOYED.prefix(), config.topicPrefix());
        assertEquals("streammeter-relay-7f9c-x2", config.instanceId());
        assertTrue(
                config.shutdownGrace().toSeconds()
                        < RELAY.getSpec().getTerminationGracePeriodSeconds(),
                "in-flight streams must end before the kubelet kills the relay");
    }

    @Test
    void shouldServeMeteringOnThePortItsProbesServicesAndScrapeName() {
        MeteringConfig config = MeteringConfig.load(List.of(), environment(METERING));
        ContainerPort port = port(METERING, "query");
        assertEquals(config.queryPort(), port.getContainerPort());
        assertProbes(container(METERING), "query");
        assertScraped(METERING, port);
        assertTargets(Manifests.one(Service.class, "streammeter-metering"), "query");
        assertTargets(Manifests.one(Service.class, "streammeter-metering-headless"), "query");
        assertEquals(StrimziTopics.DEPLOYED.prefix(), config.topicPrefix());
        assertEquals(
                "streammeter-metering-1.streammeter-metering-headless:" + port.getContainerPort(),
                config.applicationServer());
    }

    @Test
    void shouldKeepMeteringStateOnThePersistentVolumeWithAStandby() {
        MeteringConfig config = MeteringConfig.load(List.of(), environment(METERING));
        StatefulSet set = Manifests.one(StatefulSet.class, "streammeter-metering");
        String claim = set.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();
        String mount =
                container(METERING).getVolumeMounts().stream()
                        .filter(m -> m.getName().equals(claim))
                        .findFirst()
                        .orElseThrow()
                        .getMountPath();
        assertTrue(config.stateDir().startsWith(mount), config.stateDir() + " not under " + mount);
        assertTrue(Integer.parseInt(config.kafka().get("num.standby.replicas")) >= 1);
        assertEquals(
                String.valueOf(StrimziTopics.DEPLOYED.replication().factor()),
                config.kafka().get("replication.factor"),
                "internal topics replicated like the catalog's");
    }

    @Test
    void shouldMountTheRelaysMetricsTokenFromTheSecret() {
        RelayConfig config = RelayConfig.load(new String[0], environment(RELAY));
        assertEquals(
                io.streammeter.relay.config.MetricsAuth.TOKEN,
                config.metricsAuth(),
                "the deployed relay's /metrics asks for a token");
        java.nio.file.Path file = config.metricsTokenFile();
        assertTrue(file != null, "metrics.token-file is set");
        var mount =
                container(RELAY).getVolumeMounts().stream()
                        .filter(m -> file.startsWith(m.getMountPath()))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(file + " is on no volume"));
        var volume =
                RELAY.getSpec().getVolumes().stream()
                        .filter(v -> v.getName().equals(mount.getName()))
                        .findFirst()
                        .orElseThrow();
        assertEquals("streammeter", volume.getSecret().getSecretName());
        var item = volume.getSecret().getItems().get(0);
        assertEquals("metrics-token", item.getKey());
        assertEquals(
                java.nio.file.Path.of(mount.getMountPath(), item.getPath()),
                file,
                "the file the relay reads is the secret's metrics-token");
    }

    static Map<String, String> environment(PodTemplateSpec pod) {
        return Manifests.environment(container(pod), SECRETS);
    }

    static Container container(PodTemplateSpec pod) {
        assertEquals(1, pod.getSpec().getContainers().size());
        Container container = pod.getSpec().getContainers().get(0);
        assertEquals("streammeter", container.getImage());
        return container;
    }

    static ContainerPort port(PodTemplateSpec pod, String name) {
        return container(pod).getPorts().stream()
                .filter(p -> name.equals(p.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container port " + name));
    }

    static void assertProbes(Container container, String port) {
        assertEquals("/healthz", container.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/readyz", container.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/healthz", container.getStartupProbe().getHttpGet().getPath());
        assertEquals(port, container.getLivenessProbe().getHttpGet().getPort().getStrVal());
        assertEquals(port, container.getReadinessProbe().getHttpGet().getPort().getStrVal());
        assertEquals(port, container.getStartupProbe().getHttpGet().getPort().getStrVal());
    }

    static void assertScraped(PodTemplateSpec pod, ContainerPort port) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals(
                String.valueOf(port.getContainerPort()), annotations.get("prometheus.io/port"));
        assertEquals("/metrics", annotations.get("prometheus.io/path"));
    }

    static void assertTargets(Service service, String port) {
        assertEquals(port, service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
    }
}
