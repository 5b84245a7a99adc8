package io.streammeter.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of one streamed response as runs of events of one kind, so a stream of any length costs
 * a handful of objects; events are rendered only when written.
 *
 * @param runs the events, in order; no run is empty
 * @param ending what happens after the last event
 * @param totalSteps delta steps of the complete response; {@code delay-ms} separates them
 */
record StreamPlan<K>(List<Run<K>> runs, Ending ending, int totalSteps) {

    /** How a stream ends once its events are written. */
    enum Ending {
        /** End the response cleanly. */
        END,
        /** Close the connection without ending the response. */
        TRUNCATE,
        /** Write nothing more and wait for the client to go away. */
        STALL
    }

    /**
     * {@code count} events of one kind; if {@code stepWidth > 0} every {@code stepWidth} events
     * form one delta step (one fragment for each choice, perhaps with a ping).
     */
    record Run<K>(K kind, int count, int stepWidth, boolean content) {}

    /** Collects the runs of a complete response, then cuts it where the script interrupts it. */
    static final class Builder<K> {
        private final List<Run<K>> runs = new ArrayList<>();
        private int totalSteps;
        private int contentAt = -1;

        Builder<K> add(K kind, int count) {
            if (count > 0) {
                runs.add(new Run<>(kind, count, 0, false));
            }
            return this;
        }

        Builder<K> steps(K kind, int steps, int width, boolean content) {
            if (content) {
                contentAt = runs.size();
            }
            if (steps > 0) {
                runs.add(new Run<>(kind, steps * width, width, content));
                totalSteps += steps;
            }
            return this;
        }

        /**
         * The plan for a script: complete, or cut after {@code interruptAfter} content steps and
         * ended by {@code errorKind} (for error-after), a truncation or a stall.
         */
        StreamPlan<K> build(Script script, K errorKind) {
            int after = script.interruptAfter();
            if (after < 0) {
                return new StreamPlan<>(List.copyOf(runs), Ending.END, totalSteps);
            }
            List<Run<K>> kept = new ArrayList<>(runs.subList(0, contentAt));
            Run<K> content = contentAt < runs.size() ? runs.get(contentAt) : null;
            if (after > 0 && content != null && content.content()) {
                int width = content.stepWidth();
                kept.add(new Run<>(content.kind(), after * width, width, true));
            }
            Ending ending = Ending.END;
            if (script.errorAfter() >= 0) {
                kept.add(new Run<>(errorKind, 1, 0, false));
            } else {
                ending = script.truncateAfter() >= 0 ? Ending.TRUNCATE : Ending.STALL;
            }
            return new StreamPlan<>(List.copyOf(kept), ending, totalSteps);
        }
    }
}
