package io.streammeter.local;

import io.streammeter.kafka.ReplicationCheck;
import io.streammeter.kafka.TopicProvisioner;
import io.streammeter.schemas.Replication;
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
            "Fails when an existing topic's partitions or cleanup policy contradict the catalog.",
            "New topics are replicated as the cluster allows (3 replicas, 2 in sync, from three"
                    + " brokers on); refuses a cluster of several brokers where a billed topic could"
                    + " lose acknowledged writes."
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
            var replication = new ReplicationCheck(admin, kafka.timeout);
            var catalog =
                    kafka.catalog().withReplication(Replication.forBrokers(replication.brokers()));
            var out = spec.commandLine().getOut();
            if (verifyOnly) {
                for (Topic<?, ?> topic : catalog.all()) {
                    provisioner.verify(topic);
                    out.println("ok       " + topic.name());
                }
            } else {
                var result = provisioner.provision(catalog);
                result.created().forEach(name -> out.println("created  " + name));
                result.verified().forEach(name -> out.println("ok       " + name));
            }
            return judge(replication.check(catalog));
        }
    }

    private int judge(ReplicationCheck.Report report) {
        report.notes().forEach(note -> spec.commandLine().getErr().println("note: " + note));
        if (!report.acceptable()) {
            report.refusals()
                    .forEach(line -> spec.commandLine().getErr().println("refused: " + line));
            throw new IllegalStateException(
                    report.refusals().size()
                            + " billed topic(s) not safely replicated: "
                            + report.refusals().get(0));
        }
        return 0;
    }
}
