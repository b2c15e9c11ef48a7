package org.arachne.frontier;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.arachne.http.Body;
import org.arachne.http.Request;
import org.jspecify.annotations.Nullable;

/**
 * A page a lease fetched, handed with its {@linkplain Frontier#done(Lease, java.util.List,
 * java.util.List, org.arachne.politeness.SlotSignals, FetchedPage) done} ending to a frontier that
 * remembers pages for recrawls (the job dir's): the request that fetches it again, and what tells
 * the next fetch whether it changed. Immutable.
 *
 * @param request the request that fetches the page again (the leased one, without what only its
 *     last fetch meant: retry and redirect counts, the {@link PageRecord} it carried)
 * @param etag the response's {@code ETag}, or null
 * @param lastModified the response's {@code Last-Modified}, as sent, or null
 * @param body the body of a whole response; null when a {@code 304 Not Modified} said that the
 *     version kept is still current (the frontier then keeps its content hash, and the validators
 *     that the 304 does not replace)
 */
public record FetchedPage(
        Request request,
        @Nullable String etag,
        @Nullable String lastModified,
        @Nullable Body body) {
    /** Never updated; cloned, which is cheaper than a provider lookup per page. */
    private static final MessageDigest SHA256_PROTOTYPE = sha256();

    public FetchedPage {
        Objects.requireNonNull(request, "request");
    }

    /** Whether a 304 answered: the page did not change since its record. */
    public boolean revalidated() {
        return body == null;
    }

    /**
     * The {@linkplain #contentHash(Body) content hash} of the body, computed on each call (a
     * frontier that keeps pages calls it outside its lock); null for a revalidated page.
     */
    public @Nullable String contentHash() {
        return body == null ? null : contentHash(body);
    }

    /**
     * What a recrawl compares to tell a changed page from one served again unchanged by a server
     * that ignores conditional requests: the first 128 bits of the body's SHA-256, in 32 hex digits
     * (two bodies share them with a chance of 2⁻¹²⁸).
     */
    public static String contentHash(Body body) {
        return HexFormat.of().formatHex(newSha256().digest(body.unsafeBytes()), 0, 16);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static MessageDigest newSha256() {
        try {
            return (MessageDigest) SHA256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return sha256(); // a provider whose digest cannot be cloned
        }
    }
}
