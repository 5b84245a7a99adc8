package io.streammeter.bench.infra;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JVM spent its CPU, from the {@code jdk.ExecutionSample} events of a JFR recording: by
 * thread, by the library of the sampled frame, and the hottest methods. {@code JfrSummary
 * <recording.jfr> [title]} prints Markdown.
 */
public final class JfrSummary {
    private static final int TOP = 20;

    private JfrSummary() {}

    public static void main(String[] args) throws IOException {
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> libraries = new HashMap<>();
        Map<String, Long> methods = new HashMap<>();
        Map<String, Long> streammeter = new HashMap<>();
        long samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            String thread = event.getThread("sampledThread").getJavaName();
            threads.merge(threadGroup(thread), 1L, Long::sum);
            RecordedFrame top = stack.getFrames().get(0);
            String type = top.getMethod().getType().getName();
            libraries.merge(library(type), 1L, Long::sum);
            methods.merge(shortName(type) + "." + top.getMethod().getName(), 1L, Long::sum);
            for (RecordedFrame frame : stack.getFrames()) {
                String t = frame.getMethod().getType().getName();
                if (t.startsWith("io.streammeter.")) {
                    streammeter.merge(
                            shortName(t) + "." + frame.getMethod().getName(), 1L, Long::sum);
                    break;
                }
            }
        }
        String title = args.length > 1 ? args[1] : args[0];
        StringBuilder md = new StringBuilder("### CPU profile: " + title + "\n\n");
        md.append(String.format(Locale.ROOT, "%d execution samples (JFR).%n%n", samples));
        table(md, "thread", threads, samples, TOP);
        table(md, "library of the sampled (top) frame", libraries, samples, TOP);
        table(md, "hottest methods (self time)", methods, samples, TOP);
        table(md, "nearest streammeter frame on the stack (inclusive)", streammeter, samples, 12);
        System.out.print(md);
    }

    private static void table(
            StringBuilder md, String what, Map<String, Long> counts, long total, int limit) {
        md.append("| ").append(what).append(" | share of samples |\n|---|---:|\n");
        List<Map.Entry<String, Long>> sorted =
                counts.entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .limit(limit)
                        .toList();
        for (Map.Entry<String, Long> e : sorted) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| `%s` | %.1f %% |%n",
                            e.getKey(),
                            100.0 * e.getValue() / Math.max(1, total)));
        }
        md.append('\n');
    }

    /** Threads named by role: numbered pool threads are added up. */
    static String threadGroup(String name) {
        return name.replaceAll("-\\d+$", "-N").replaceAll("-\\d+-", "-N-");
    }

    static String library(String type) {
        String[][] families = {
            {"io.netty.", "netty"},
            {"io.vertx.", "vert.x"},
            {"org.apache.kafka.", "kafka"},
            {"com.fasterxml.jackson.", "jackson"},
            {"org.apache.avro.", "avro"},
            {"org.rocksdb.", "rocksdb"},
            {"io.micrometer.", "micrometer"},
            {"io.streammeter.", "streammeter"},
            {"org.apache.logging.", "log4j"},
            {"sun.nio.", "jdk nio"},
            {"java.", "jdk"},
            {"jdk.", "jdk"},
            {"sun.", "jdk"},
        };
        for (String[] family : families) {
            if (type.startsWith(family[0])) {
                return family[1];
            }
        }
        return type.contains(".") ? type.substring(0, type.lastIndexOf('.')) : type;
    }

    private static String shortName(String type) {
        String[] parts = type.split("\\.");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            out.append(parts[i].charAt(0)).append('.');
        }
        return out.append(parts[parts.length - 1]).toString();
    }
}
