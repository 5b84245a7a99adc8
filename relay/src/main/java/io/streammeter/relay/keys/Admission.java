package io.streammeter.relay.keys;

import io.streammeter.avro.KeyStatus;
import io.streammeter.avro.PlatformKey;
import java.util.regex.Pattern;

/**
 * What platform mode decides for one request, from the registry alone: whether the key exists and
 * is active, whether it may use the model, and which credential goes upstream. Budgets and rate
 * limits are not decided here (see docs/keys-and-budgets.md).
 */
public final class Admission {
    private final KeyRegistry registry;
    private final Credentials credentials;

    public Admission(KeyRegistry registry, Credentials credentials) {
        this.registry = registry;
        this.credentials = credentials;
    }

    /** The outcome for a caller, before its body is read. */
    public sealed interface Decision {}

    /** Served: send {@code credential} upstream (null: the endpoint's configured key). */
    public record Admitted(PlatformKey key, String credential) implements Decision {}

    /** No such key, or revoked: 401, nothing published (there is nobody to bill). */
    public record UnknownKey() implements Decision {}

    /** The key names a credential the relay does not hold: 503, an operator's mistake. */
    public record MissingCredential(String name) implements Decision {}

    /** Who the caller is. */
    public Decision admit(String keyId) {
        PlatformKey key = registry.find(keyId);
        if (key == null || key.getStatus() != KeyStatus.ACTIVE) {
            return new UnknownKey();
        }
        String name = key.getUpstreamCredential();
        if (name == null) {
            return new Admitted(key, null);
        }
        String secret = credentials.secret(name);
        return secret == null ? new MissingCredential(name) : new Admitted(key, secret);
    }

    /** Whether {@code key} may use {@code model} (exact names or globs; none listed: any). */
    public static boolean allows(PlatformKey key, String model) {
        if (key.getAllowedModels().isEmpty()) {
            return true;
        }
        if (model == null) {
            return false;
        }
        for (String pattern : key.getAllowedModels()) {
            if (glob(pattern).matcher(model).matches()) {
                return true;
            }
        }
        return false;
    }

    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
