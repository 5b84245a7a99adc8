package io.streammeter.schemas;

import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Lets Avro instantiate our generated classes. Avro 1.12 refuses to load record classes outside a
 * trusted list ({@code org.apache.avro.SERIALIZABLE_PACKAGES}); rather than asking every JVM that
 * reads our topics for a system property, the serdes add our package to the global validator the
 * first time they are used.
 */
final class AvroTrust {
    static final String GENERATED_PACKAGE = "io.streammeter.avro";

    private static boolean installed;

    private AvroTrust() {}

    static synchronized void install() {
        if (installed) {
            return;
        }
        ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(
                cls -> GENERATED_PACKAGE.equals(cls.getPackageName()) || previous.isTrusted(cls));
        installed = true;
    }
}
