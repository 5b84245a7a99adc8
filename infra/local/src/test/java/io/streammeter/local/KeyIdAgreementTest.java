package io.streammeter.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streammeter.metering.query.PlatformKeys;
import io.streammeter.relay.auth.KeyIds;
import org.junit.jupiter.api.Test;

/** Metering maps a platform key to the key id the relay publishes: the two derivations agree. */
class KeyIdAgreementTest {
    @Test
    void shouldDeriveTheRelaysKeyIdInMetering() {
        for (String key : new String[] {"sk-demo-123", "sk-sm-ünïcode-key", "x"}) {
            assertEquals(
                    KeyIds.derive("pepper-0123456789abcdef", key),
                    PlatformKeys.keyId("pepper-0123456789abcdef", key),
                    key);
        }
    }
}
