package io.streammeter.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A test-side SSE reader: splits a body into events, keeping comment lines apart. */
record Sse(List<Event> events, int comments) {

    /** One event: its {@code event:} name (or null) and its data. */
    record Event(String name, String data) {
        JsonNode json() {
            return SimRequest.json(data);
        }

        boolean done() {
            return data.equals("[DONE]");
        }
    }

    static Sse parse(String body) {
        List<Event> events = new ArrayList<>();
        int comments = 0;
        String name = null;
        StringBuilder data = null;
        for (String line : body.split("\r\n|\n", -1)) {
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(new Event(name, data.toString()));
                }
                name = null;
                data = null;
            } else if (line.startsWith(":")) {
                comments++;
            } else if (line.startsWith("event: ")) {
                name = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data = data == null ? new StringBuilder() : data.append('\n');
                data.append(line.substring(6));
            } else {
                throw new AssertionError("not an SSE line: '" + line + "' in\n" + body);
            }
        }
        return new Sse(events, comments);
    }

    /** The event names, in order (Anthropic). */
    List<String> names() {
        return events.stream().map(Event::name).toList();
    }

    /** The JSON of every event but {@code [DONE]}. */
    List<JsonNode> json() {
        return events.stream().filter(e -> !e.done()).map(Event::json).toList();
    }

    boolean endsWithDone() {
        return !events.isEmpty() && events.get(events.size() - 1).done();
    }
}
