package org.arachne.redis;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The names of one crawl's keys. A crawl has one or more partitions, fixed when it is made; each is
 * under a prefix of its own whose braces are Redis Cluster's hash tag, so every key of a partition
 * is on one shard and one script may touch them all, while the partitions of a crawl spread over
 * the shards. Partition 0 is under the crawl's own prefix {@code arachne:{<crawl>}:} and also holds
 * what is the crawl's as a whole (its settings, the stop flag, robots.txt records, claims);
 * partition k &ge; 1 is under {@code arachne:{<crawl>/<k>}:} (a crawl's name holds no {@code /}, so
 * no other crawl's prefix is one of these). A politeness slot belongs to the partition {@link
 * #partitionOf} gives it, with its queue, its leases and the seen set of its requests. The scripts
 * name every key from the meta key's prefix (see {@code lib.lua}); docs/redis.md, "Partitions".
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

    /** The prefix of every key of the crawl's partition 0, hash tag included. */
    String prefix() {
        return prefix;
    }

    /** The prefix of every key of a partition, hash tag included. */
    String prefix(int partition) {
        if (partition < 0) {
            throw new IllegalArgumentException("no partition " + partition);
        }
        return partition == 0 ? prefix : "arachne:{" + crawl + "/" + partition + "}:";
    }

    /** A partition's meta hash: the key its scripts are called with. */
    byte[] meta(int partition) {
        return (prefix(partition) + "meta").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The partition of a politeness slot among {@code partitions}: the slot name's CRC-32 modulo
     * their number, the same in every worker and every version.
     */
    static int partitionOf(String slot, int partitions) {
        if (partitions == 1) {
            return 0;
        }
        CRC32 crc = new CRC32();
        crc.update(slot.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % partitions);
    }

    /** Where the crawl keeps what a fetch of the origin's robots.txt found. */
    byte[] robots(String origin) {
        return (prefix + "robots:" + origin).getBytes(StandardCharsets.UTF_8);
    }

    /** The crawl's meta hash: partition 0's. */
    byte[] meta() {
        return meta(0);
    }
}
