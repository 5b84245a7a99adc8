package io.streammeter.relay.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/**
 * The key id: how streammeter names an API key without ever storing or publishing it.
 *
 * <p>{@code k_} followed by 24 lowercase base32 characters: the first 120 bits of
 * HMAC-SHA256(pepper, raw key), the key's bytes taken as UTF-8. The same pepper and key always give
 * the same id; without the pepper an id cannot be linked back to a key. A billing backend maps its
 * customers to key ids with the {@code key-id} command, which calls {@link #derive}.
 */
public final class KeyIds {
    /** Every key id starts with this. */
    public static final String PREFIX = "k_";

    private static final String ALGORITHM = "HmacSHA256";
    private static final int BYTES = 15; // 15 bytes are exactly 24 base32 characters, no padding

    private static final Base32 BASE32 = new Base32();

    /**
     * A Mac per thread (event loops), keyed once: {@code Mac.getInstance} is costly per request.
     */
    private static final ThreadLocal<KeyedMac> MACS = new ThreadLocal<>();

    private record KeyedMac(String pepper, Mac mac) {}

    /**
     * Ids already derived, by pepper and key (in this process's memory only, like the request that
     * carried the key): an HMAC per request was a tenth of the relay's CPU under load, and callers
     * reuse few keys. Bounded: emptied when it reaches {@link #CACHED_IDS}, so a flood of distinct
     * keys costs one HMAC each, as before.
     */
    private static final ConcurrentHashMap<Entry, String> IDS = new ConcurrentHashMap<>();

    static final int CACHED_IDS = 16_384;

    private record Entry(String pepper, String rawKey) {}

    private KeyIds() {}

    /**
     * The key id of {@code rawKey} under {@code pepper}.
     *
     * @param pepper the relay's configured secret; must not be empty
     * @param rawKey the bearer token exactly as the client sent it, without the {@code Bearer }
     *     prefix
     * @return {@code k_} and 24 characters of {@code [a-z2-7]}
     */
    public static String derive(String pepper, String rawKey) {
        if (pepper == null || pepper.isEmpty()) {
            throw new IllegalArgumentException("the key id pepper must not be empty");
        }
        if (rawKey == null) {
            throw new IllegalArgumentException("the key must not be null");
        }
        Entry entry = new Entry(pepper, rawKey);
        String id = IDS.get(entry);
        if (id == null) {
            id = compute(pepper, rawKey);
            if (IDS.size() >= CACHED_IDS) {
                IDS.clear();
            }
            IDS.put(entry, id);
        }
        return id;
    }

    private static String compute(String pepper, String rawKey) {
        byte[] digest = mac(pepper).doFinal(rawKey.getBytes(StandardCharsets.UTF_8));
        String encoded = BASE32.encodeToString(Arrays.copyOf(digest, BYTES));
        return PREFIX + encoded.toLowerCase(Locale.ROOT);
    }

    private static Mac mac(String pepper) {
        KeyedMac cached = MACS.get();
        if (cached == null || !cached.pepper().equals(pepper)) {
            try {
                Mac mac = Mac.getInstance(ALGORITHM);
                mac.init(new SecretKeySpec(pepper.getBytes(StandardCharsets.UTF_8), ALGORITHM));
                cached = new KeyedMac(pepper, mac);
                MACS.set(cached);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
            }
        }
        return cached.mac(); // doFinal leaves it reset for the next key
    }
}
