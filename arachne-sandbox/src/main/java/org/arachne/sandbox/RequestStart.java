package org.arachne.sandbox;

import org.jspecify.annotations.Nullable;

/**
 * One request as the sandbox saw it arrive.
 *
 * @param nanos {@link System#nanoTime()} when the server began handling it
 * @param method the HTTP method
 * @param path the decoded path, without the query
 * @param target the raw request target: path plus {@code ?query} if any
 * @param host the {@code Host} header, or null if the client sent none
 * @param referer the {@code Referer} header, or null if the client sent none
 */
public record RequestStart(
        long nanos,
        String method,
        String path,
        String target,
        @Nullable String host,
        @Nullable String referer) {}
