package io.streammeter.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streammeter.metering.export.StreamExplainer;
import io.streammeter.metering.export.StreamExplainer.Explanation;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description = {
            "Prints everything metering knows about one stream, by the X-Stream-Id its client got:"
                    + " the line item (outcome, usage and its source, the price entry used, cost,"
                    + " missing-usage reason, upstream status, error text, duration) and the events"
                    + " the relay published for it, as JSON.",
            "Exit code 1 when Kafka holds nothing for that stream."
        })
final class ExplainCommand implements Callable<Integer> {
    @Mixin KafkaOptions kafka;

    @Parameters(paramLabel = "STREAM_ID", description = "The stream id (X-Stream-Id).")
    String streamId;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (var admin = kafka.reachableAdmin()) {
            // fails in one line when Kafka is not there
        }
        Explanation explanation =
                new StreamExplainer(kafka.catalog(), kafka.clientProperties(), kafka.timeout)
                        .explain(streamId);
        if (explanation.lineItem() == null && explanation.events().isEmpty()) {
            throw new IllegalStateException("nothing is known of stream " + streamId);
        }
        spec.commandLine()
                .getOut()
                .println(
                        new ObjectMapper()
                                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                                .enable(SerializationFeature.INDENT_OUTPUT)
                                .writeValueAsString(explanation));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
