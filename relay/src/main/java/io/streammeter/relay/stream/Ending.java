package io.streammeter.relay.stream;

import io.streammeter.relay.metrics.StreamOutcome;

/** How a stream ends and why, before it is published: the outcome and an error text or null. */
record Ending(StreamOutcome outcome, String errorText) {}
