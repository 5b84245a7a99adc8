package io.streammeter.relay.config;

/** What the relay does with a path under {@code /v1/} that it does not meter. */
public enum OtherRoutes {
    /** Answer 404 in OpenAI's error shape, as if the path did not exist. */
    REFUSE,
    /** Forward it to the OpenAI-compatible upstream unmetered, counted per known path family. */
    PASS
}
