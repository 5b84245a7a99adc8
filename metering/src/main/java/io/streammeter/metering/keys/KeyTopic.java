package io.streammeter.metering.keys;

import io.streammeter.avro.PlatformKey;
import io.streammeter.schemas.Topic;
import java.time.Duration;
import java.util.Map;

/** The compacted {@code <prefix>keys} topic: platform keys by key id. */
public final class KeyTopic extends CompactedTopic<PlatformKey> {

    /**
     * @param kafka client settings (bootstrap servers, security); consumer and producer settings
     *     are taken from it
     */
    public KeyTopic(Map<String, ?> kafka, Topic<String, PlatformKey> topic, Duration timeout) {
        super(kafka, topic, PlatformKey::getKeyId, timeout);
    }
}
