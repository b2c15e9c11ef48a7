package org.arachne.frontier;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.arachne.http.Request;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;

/**
 * A 128-bit fingerprint of a request for deduplication: SHA-1 over the method, the canonical URL
 * and the body, as Scrapy's fingerprint. The canonical form is w3lib's ({@link Urls#canonicalize}:
 * the fragment dropped; in the query {@code +}, {@code %20} and a space one and the pairs sorted;
 * escapes of characters that mean the same decoded), so spellings of one page are one request,
 * while credentials count: {@code http://alice@host/} and {@code http://host/} are two. Headers and
 * meta do not count, as in Scrapy.
 */
public record Fingerprint(long high, long low) {
    /** Never updated; cloned, which is cheaper than a provider lookup per fingerprint. */
    private static final MessageDigest SHA1_PROTOTYPE = sha1();

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static MessageDigest newSha1() {
        try {
            return (MessageDigest) SHA1_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return sha1(); // a provider whose digest cannot be cloned
        }
    }

    /**
     * @throws IllegalArgumentException when the URL cannot be canonicalised
     */
    public static Fingerprint of(Request request) {
        MessageDigest sha1 = newSha1();
        sha1.update(request.method().getBytes(StandardCharsets.US_ASCII));
        sha1.update((byte) '\n');
        sha1.update(Urls.canonicalize(request.url()).getBytes(StandardCharsets.UTF_8));
        sha1.update((byte) '\n');
        sha1.update(request.body().unsafeBytes());
        byte[] digest = sha1.digest();
        return new Fingerprint(readLong(digest, 0), readLong(digest, 8));
    }

    private static long readLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFFL);
        }
        return value;
    }

    // Written out: the generated record methods go through an invokedynamic bootstrap that is
    // measurably slower in the frontier's seen-set, which calls them for every link.
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Fingerprint that && high == that.high && low == that.low;
    }

    @Override
    public int hashCode() {
        return (int) (low ^ (low >>> 32));
    }

    /** 32 lower-case hex digits. */
    public String hex() {
        return String.format(java.util.Locale.ROOT, "%016x%016x", high, low);
    }
}
