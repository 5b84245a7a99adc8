package io.streammeter.kafka;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link TestKafka}: one real broker per test JVM, started on first use and stopped
 * when the run ends. Tests isolate themselves by topic prefix ({@link TestKafka#newCatalog}), not
 * by broker.
 *
 * <p>Which broker: {@code KAFKA_BOOTSTRAP_SERVERS} (an existing cluster); else, when {@code
 * STREAMMETER_TEST_KAFKA=testcontainers}, a Testcontainers Kafka (fails loudly without Docker);
 * else the in-process KRaft broker.
 */
public final class KafkaExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context);
    }

    /** The run-wide broker, for tests that need it outside a parameter. */
    public static TestKafka shared(ExtensionContext context) {
        return context.getRoot()
                .getStore(ExtensionContext.Namespace.create(KafkaExtension.class))
                .computeIfAbsent(
                        TestKafka.class, key -> TestKafka.start(System.getenv()), TestKafka.class);
    }
}
