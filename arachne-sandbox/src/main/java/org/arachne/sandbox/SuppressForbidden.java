package org.arachne.sandbox;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exempts one method from the forbidden-apis check; forbiddenapis honours any annotation with this
 * simple name. Used only where the server must delay on purpose.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface SuppressForbidden {
    /** Why the forbidden API is needed here. */
    String reason();
}
