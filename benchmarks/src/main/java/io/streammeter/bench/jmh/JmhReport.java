package io.streammeter.bench.jmh;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns JMH's JSON results into the Markdown tables of docs/benchmarks.md: SSE parsing in MB/s
 * (ops/s times the recorded stream's size), usage extraction in ns per chunk, and serde in ns per
 * event next to the encoded size. {@code JmhReport <jmh.json>} prints to standard output.
 */
public final class JmhReport {
    private JmhReport() {}

    public static void main(String[] args) throws IOException {
        JsonArray runs = new JsonArray(Files.readString(Path.of(args[0])));
        StringBuilder sse = new StringBuilder();
        StringBuilder usage = new StringBuilder();
        StringBuilder serde = new StringBuilder();
        StringBuilder chunk = new StringBuilder();
        for (int i = 0; i < runs.size(); i++) {
            JsonObject run = runs.getJsonObject(i);
            String name = run.getString("benchmark");
            JsonObject params = run.getJsonObject("params", new JsonObject());
            JsonObject metric = run.getJsonObject("primaryMetric");
            double score = number(metric.getValue("score"));
            double error = number(metric.getValue("scoreError"));
            if (name.endsWith("SseParserBenchmark.parse")) {
                String stream = params.getString("stream");
                int bytes = RecordedStreams.load(stream).length;
                sse.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %s | %,d | %,.0f ± %,.0f | %.0f |%n",
                                stream,
                                params.getString("reads"),
                                bytes,
                                score,
                                error,
                                score * bytes / 1e6));
            } else if (name.endsWith("UsageBenchmark.readEvent")) {
                usage.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %.0f ± %.0f |%n",
                                params.getString("chunk"),
                                score,
                                error));
            } else if (name.endsWith("ChunkMeteringBenchmark.meterStream")) {
                chunk.append(
                        String.format(
                                Locale.ROOT,
                                "| parse + usage + fold + build event + Avro encode | %.0f ± %.0f |%n",
                                score,
                                error));
            } else if (name.contains("SerdeBenchmark.")) {
                String payload = params.getString("payload");
                SerdeBenchmark sizes = new SerdeBenchmark();
                sizes.payload = payload;
                sizes.setUp();
                serde.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %s | %.0f ± %.0f | %d |%n",
                                payload,
                                name.substring(name.lastIndexOf('.') + 1),
                                score,
                                error,
                                sizes.encodedBytes()));
            }
        }
        StringBuilder md = new StringBuilder("## Hot paths (JMH)\n\n");
        md.append("### SSE parsing (relay `SseParser`, one new parser per stream)\n\n")
                .append("| recorded stream | reads | bytes | streams/s | MB/s |\n")
                .append("|---|---|---:|---:|---:|\n")
                .append(sse)
                .append('\n');
        md.append("### Usage extraction per chunk (`OpenAiChatCompletions.readEvent` + fold)\n\n")
                .append("| chunk | ns/op |\n|---|---:|\n")
                .append(usage)
                .append('\n');
        md.append("### Relay metering work per chunk, no I/O\n\n")
                .append("| work | ns per chunk |\n|---|---:|\n")
                .append(chunk)
                .append('\n');
        md.append("### Serde of one stream event (`AvroSerde<StreamEvent>`)\n\n")
                .append("| payload | operation | ns/op | bytes per event |\n|---|---|---:|---:|\n")
                .append(serde)
                .append('\n');
        System.out.print(md);
    }

    /** JMH writes "NaN" (a string) for the error of a single iteration. */
    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
