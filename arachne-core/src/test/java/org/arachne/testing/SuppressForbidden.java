package org.arachne.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exempts a test class or member from the forbidden-apis check (the plugin honours any annotation
 * with this simple name). Use it only with a {@link #reason()} that a reviewer can check.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.FIELD, ElementType.CONSTRUCTOR})
public @interface SuppressForbidden {
    /** Why the forbidden API is right here. */
    String reason();
}
