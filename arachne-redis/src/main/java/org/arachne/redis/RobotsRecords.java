package org.arachne.redis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import org.arachne.frontier.RobotsTxtRecord;
import org.arachne.http.Body;

/**
 * A {@link RobotsTxtRecord} as the crawl keeps it in Redis under {@code robots:<origin>}: a version
 * byte, when it was fetched (epoch seconds and nanoseconds), its kind, its content type, the
 * Crawl-delay it asked (nanoseconds) and the body as fetched.
 */
final class RobotsRecords {
    private static final int VERSION = 1;

    private RobotsRecords() {}

    static byte[] toBytes(RobotsTxtRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + record.body().length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(record.fetchedAt().getEpochSecond());
            out.writeInt(record.fetchedAt().getNano());
            out.writeByte(record.kind().ordinal());
            out.writeBoolean(record.contentType() != null);
            if (record.contentType() != null) {
                out.writeUTF(record.contentType());
            }
            out.writeLong(record.crawlDelay().toNanos());
            byte[] body = record.body().unsafeBytes();
            out.writeInt(body.length);
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a robots.txt record", e);
        }
        return bytes.toByteArray();
    }

    /**
     * @throws IOException when the bytes are not a record this code wrote
     */
    static RobotsTxtRecord fromBytes(String origin, byte[] value) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IOException("record version " + version + ", not " + VERSION);
            }
            Instant fetchedAt = Instant.ofEpochSecond(in.readLong(), in.readInt());
            int kind = in.readUnsignedByte();
            RobotsTxtRecord.Kind[] kinds = RobotsTxtRecord.Kind.values();
            if (kind >= kinds.length) {
                throw new IOException("unknown record kind " + kind);
            }
            String contentType = in.readBoolean() ? in.readUTF() : null;
            Duration crawlDelay = Duration.ofNanos(in.readLong());
            byte[] body = in.readNBytes(in.readInt());
            return new RobotsTxtRecord(
                    origin, fetchedAt, kinds[kind], Body.wrap(body), contentType, crawlDelay);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
