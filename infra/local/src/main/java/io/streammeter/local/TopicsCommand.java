package io.streammeter.local;

import io.streammeter.kafka.TopicProvisioner;
import io.streammeter.schemas.Topic;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = {
            "Creates the missing topics of the catalog and checks the existing ones.",
            "Fails when an existing topic's partitions or cleanup policy contradict the catalog."
        })
final class TopicsCommand implements Callable<Integer> {
    @Mixin KafkaOptions kafka;

    @Option(names = "--verify", description = "Only check; create nothing.")
    boolean verifyOnly;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (var admin = kafka.reachableAdmin()) {
            var provisioner = new TopicProvisioner(admin, kafka.timeout);
            var out = spec.commandLine().getOut();
            if (verifyOnly) {
                for (Topic<?, ?> topic : kafka.catalog().all()) {
                    provisioner.verify(topic);
                    out.println("ok       " + topic.name());
                }
                return 0;
            }
            var result = provisioner.provision(kafka.catalog());
            result.created().forEach(name -> out.println("created  " + name));
            result.verified().forEach(name -> out.println("ok       " + name));
            return 0;
        }
    }
}
