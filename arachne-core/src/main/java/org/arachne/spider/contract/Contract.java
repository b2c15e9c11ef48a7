package org.arachne.spider.contract;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A contract of the callback it annotates, as Scrapy's url, returns and scrapes contracts: fetching
 * {@link #url()} and running the callback on the response gives as many items and requests as its
 * ranges say, every item filling the fields of {@link #scrapes()}. Repeatable; {@code arachne check
 * --contracts --class NAME} checks them, and {@link Contracts#of} reads them. For example, on a
 * spider's {@code parse} method: {@code @Contract(url = "http://127.0.0.11:8321/", items
 * = @Range(min = 1), scrapes = {"title", "price"}, requests = @Range(min = 1))}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(Contract.List.class)
public @interface Contract {
    /** The absolute http(s) URL to fetch. */
    String url();

    /** The number of items expected; by default any. */
    Range items() default @Range;

    /** Fields that must be present and not empty in every item. */
    String[] scrapes() default {};

    /** The number of requests expected (of those matching {@link #requestPattern()}); any. */
    Range requests() default @Range;

    /**
     * A regex (Python's syntax) searched in each request's URL: only the requests it is found in
     * are counted against {@link #requests()}; empty counts every request.
     */
    String requestPattern() default "";

    /**
     * Values put in the request's meta, as a JSON object ({@code {"listed_price": "12.50"}}, as
     * Scrapy's {@code @meta}); empty for none.
     */
    String meta() default "";

    /** Several contracts of one callback (written as repeated {@code @Contract}). */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        Contract[] value();
    }
}
