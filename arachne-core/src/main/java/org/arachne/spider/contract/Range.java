package org.arachne.spider.contract;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How many items or requests a {@link Contract} expects: {@code @Range(min = 1)}, {@code @Range(min
 * = 10, max = 10)}. The default, {@code @Range}, expects any number: nothing is checked.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Range {
    /** The least number expected. */
    int min() default 0;

    /** The greatest number expected; {@link Integer#MAX_VALUE} for no limit. */
    int max() default Integer.MAX_VALUE;
}
