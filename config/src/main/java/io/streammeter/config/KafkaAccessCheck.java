package io.streammeter.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Connects once at start and turns a refused login into one line that names the setting to fix,
 * instead of a client that retries forever. A cluster that does not answer is not an error here: a
 * component that can wait for Kafka keeps waiting. Only secured connections are checked (a
 * plaintext one has no login to refuse), so an unsecured start is not delayed by a cluster that is
 * down.
 */
public final class KafkaAccessCheck {
    private static final Pattern USER = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    private KafkaAccessCheck() {}

    /**
     * Asks the cluster for its id with these client settings.
     *
     * @param settings client settings (bootstrap servers, security); only admin ones are used
     * @param settingPrefix how the operator wrote them, such as {@code kafka.producer.}, for the
     *     message
     * @throws IllegalStateException with a one-line message when authentication or TLS fails
     */
    public static void check(Map<String, ?> settings, String settingPrefix, Duration timeout) {
        Object protocol = settings.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        if (protocol == null || "PLAINTEXT".equalsIgnoreCase(protocol.toString().strip())) {
            return; // nothing to refuse: no delay at start when the cluster is down
        }
        Map<String, Object> admin = new HashMap<>();
        settings.forEach(
                (k, v) -> {
                    if (AdminClientConfig.configNames().contains(k)
                            || k.startsWith("config.providers")) {
                        admin.put(k, v);
                    }
                });
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "streammeter-access-check");
        int millis = (int) timeout.toMillis();
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        try (Admin client = Admin.create(admin)) {
            client.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException refused) {
                throw new IllegalStateException(message(refused, settings, settingPrefix));
            }
            // Anything else (unreachable, timed out) is the component's own business.
        } catch (TimeoutException e) {
            // Not reachable yet: not an authentication failure.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The one line for a refused connection, naming the setting that most likely needs fixing. */
    public static String message(
            AuthenticationException e, Map<String, ?> settings, String prefix) {
        String detail = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
        if (e instanceof SslAuthenticationException) {
            String setting =
                    settings.containsKey(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG)
                                    || !settings.containsKey(
                                            SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG)
                            ? SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG
                            : SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG;
            return "kafka: TLS handshake failed ("
                    + prefix
                    + setting
                    + ", "
                    + prefix
                    + SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG
                    + " for mTLS): "
                    + rootMessage(e);
        }
        Object mechanism = settings.get(SaslConfigs.SASL_MECHANISM);
        String user = user(settings.get(SaslConfigs.SASL_JAAS_CONFIG));
        String who =
                "SASL"
                        + (mechanism == null ? "" : "/" + mechanism)
                        + " user "
                        + (user == null ? "(unknown)" : "'" + user + "'");
        return "kafka: authentication failed for "
                + who
                + " ("
                + prefix
                + SaslConfigs.SASL_JAAS_CONFIG
                + "): "
                + (e instanceof SaslAuthenticationException ? detail : rootMessage(e));
    }

    /** The user name in a JAAS line, when written there (not when it comes from a provider). */
    static String user(Object jaas) {
        if (jaas == null) {
            return null;
        }
        Matcher m = USER.matcher(jaas.toString());
        return m.find() ? m.group(1) : null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage()).lines().findFirst().orElse("").strip();
    }
}
