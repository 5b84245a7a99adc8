package io.streammeter.metering.keys;

import io.streammeter.avro.KeyStatus;
import io.streammeter.avro.PlatformKey;
import io.streammeter.schemas.AvroSerde;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/**
 * Builds and validates {@link PlatformKey} records: the one code path of the CLI and the admin HTTP
 * API. Pure: no Kafka, no clock of its own.
 */
public final class KeyRecords {
    /** Budget periods a key may have. */
    public static final List<String> PERIODS = List.of("day", "month", "lifetime");

    private static final int ID_BYTES = 15;
    private static final int MAX_TEXT = 200;
    private static final Pattern TAG_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        // Copying a record (PlatformKey.newBuilder(key)) asks Avro's class validator, which trusts
        // our generated classes once AvroSerde is initialised; do not depend on a serde having
        // been used first.
        try {
            Class.forName(AvroSerde.class.getName(), true, AvroSerde.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private KeyRecords() {}

    /** A new key: the raw key (shown once, stored nowhere) and the record to write. */
    public record Created(String rawKey, PlatformKey key) {
        @Override
        public String toString() {
            return "Created[rawKey=[hidden], key=" + key + "]";
        }
    }

    /**
     * Creates a key for {@code change.customer()}.
     *
     * @throws InvalidKeyChange naming the field, when the change is not valid
     */
    public static Created create(String pepper, KeyChange change, Instant now) {
        if (change.customer() == null) {
            throw new InvalidKeyChange("customer", "is required");
        }
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        String raw = "sk-sm-" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        PlatformKey.Builder key =
                PlatformKey.newBuilder()
                        .setKeyId(keyId(pepper, raw))
                        .setCustomer("")
                        .setTags(new HashMap<>())
                        .setAllowedModels(new ArrayList<>())
                        .setStatus(KeyStatus.ACTIVE)
                        .setCreatedAt(now)
                        .setUpdatedAt(now);
        applyTo(key, change);
        return new Created(raw, key.build());
    }

    /**
     * {@code key} with {@code change} applied and {@code now} as its update time.
     *
     * @throws InvalidKeyChange naming the field, when the change is not valid
     */
    public static PlatformKey apply(PlatformKey key, KeyChange change, Instant now) {
        PlatformKey.Builder builder = PlatformKey.newBuilder(key);
        applyTo(builder, change);
        return builder.setUpdatedAt(now).build();
    }

    /** {@code key}, revoked at {@code now}: every relay refuses it within 2 s. */
    public static PlatformKey revoke(PlatformKey key, Instant now) {
        return PlatformKey.newBuilder(key).setStatus(KeyStatus.REVOKED).setUpdatedAt(now).build();
    }

    /**
     * The relay's key id: {@code k_} + base32 of the first 15 bytes of HMAC-SHA256(pepper, key).
     */
    public static String keyId(String pepper, String rawKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(pepper.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(rawKey.getBytes(StandardCharsets.UTF_8));
            return "k_"
                    + new Base32()
                            .encodeToString(Arrays.copyOf(digest, ID_BYTES))
                            .toLowerCase(Locale.ROOT);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private static void applyTo(PlatformKey.Builder key, KeyChange change) {
        if (change.customer() != null) {
            key.setCustomer(text("customer", change.customer()));
        }
        if (change.tags() != null) {
            Map<String, String> merged = new LinkedHashMap<>(key.getTags());
            change.tags()
                    .forEach(
                            (name, value) -> {
                                if (name == null || !TAG_NAME.matcher(name).matches()) {
                                    throw new InvalidKeyChange(
                                            "tags",
                                            "names must be 1 to 64 of A-Z a-z 0-9 _ . -: " + name);
                                }
                                if (value == null || value.length() > MAX_TEXT) {
                                    throw new InvalidKeyChange(
                                            "tags",
                                            "values must be text of at most "
                                                    + MAX_TEXT
                                                    + " characters: "
                                                    + name);
                                }
                                merged.put(name, value);
                            });
            key.setTags(merged);
        }
        if (change.upstreamCredential() != null) {
            String credential = change.upstreamCredential();
            key.setUpstreamCredential(
                    credential.isEmpty() ? null : text("upstream_credential", credential));
        }
        if (change.allowedModels() != null) {
            for (String model : change.allowedModels()) {
                text("allowed_models", model);
            }
            key.setAllowedModels(new ArrayList<>(change.allowedModels()));
        }
        if (change.budgetUsd() != null) {
            key.setBudgetMicros(budgetMicros(change.budgetUsd()));
            if (key.getBudgetPeriod() == null && change.budgetPeriod() == null) {
                key.setBudgetPeriod("month");
            }
        }
        if (change.budgetPeriod() != null) {
            key.setBudgetPeriod(budgetPeriod(change.budgetPeriod()));
        }
        if (change.requestsPerMinute() != null) {
            if (change.requestsPerMinute() <= 0) {
                throw new InvalidKeyChange("requests_per_minute", "must be positive");
            }
            key.setRequestsPerMinute(change.requestsPerMinute());
        }
        if (change.tokensPerMinute() != null) {
            if (change.tokensPerMinute() <= 0) {
                throw new InvalidKeyChange("tokens_per_minute", "must be positive");
            }
            key.setTokensPerMinute(change.tokensPerMinute());
        }
    }

    private static String text(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidKeyChange(field, "must not be empty");
        }
        if (value.length() > MAX_TEXT || value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidKeyChange(
                    field,
                    "must be at most " + MAX_TEXT + " characters without control characters");
        }
        return value;
    }

    /** A budget in USD as micro-USD: not negative, at most 6 decimals ({@code budget_usd}). */
    public static long budgetMicros(BigDecimal usd) {
        if (usd.signum() < 0) {
            throw new InvalidKeyChange("budget_usd", "must not be negative");
        }
        try {
            return usd.movePointRight(6).longValueExact();
        } catch (ArithmeticException e) {
            throw new InvalidKeyChange(
                    "budget_usd", "must have at most 6 decimals and fit micro-USD in a long");
        }
    }

    /** A budget period as stored: {@code day}, {@code month} or {@code lifetime}. */
    public static String budgetPeriod(String period) {
        String p = period.toLowerCase(Locale.ROOT);
        if (!PERIODS.contains(p)) {
            throw new InvalidKeyChange("budget_period", "must be day, month or lifetime");
        }
        return p;
    }
}
