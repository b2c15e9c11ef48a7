package org.arachne.redis;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The names of one crawl's keys: all under {@code arachne:{<crawl>}:}, whose braces are Redis
 * Cluster's hash tag, so every key of a crawl is on one shard and one script may touch them all.
 * The scripts name every key from the meta key's prefix (see {@code lib.lua}).
 */
final class CrawlKeys {
    /**
     * What a crawl or worker name may hold: nothing that could end the hash tag ({@code }}) or
     * reach another crawl's keys ({@code :}), no spaces or control characters.
     */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final String crawl;
    private final String prefix;

    /**
     * @throws IllegalArgumentException when the name holds other characters than letters, digits,
     *     {@code .}, {@code _} and {@code -}, or is empty or longer than 100
     */
    CrawlKeys(String crawl) {
        this.crawl = checkName("crawl", crawl);
        this.prefix = "arachne:{" + crawl + "}:";
    }

    /** Checks a crawl's or a worker's name; returns it. */
    static String checkName(String what, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    what
                            + " name '"
                            + name
                            + "' cannot name Redis keys: use 1 to 100 letters, digits, '.', '_'"
                            + " or '-'");
        }
        return name;
    }

    String crawl() {
        return crawl;
    }

    /** The prefix of every key of the crawl, hash tag included. */
    String prefix() {
        return prefix;
    }

    /** Where the crawl keeps what a fetch of the origin's robots.txt found. */
    byte[] robots(String origin) {
        return (prefix + "robots:" + origin).getBytes(StandardCharsets.UTF_8);
    }

    /** The crawl's meta hash: the key every script is called with. */
    byte[] meta() {
        return (prefix + "meta").getBytes(StandardCharsets.UTF_8);
    }
}
