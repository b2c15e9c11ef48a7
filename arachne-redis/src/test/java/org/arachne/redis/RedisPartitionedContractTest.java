package org.arachne.redis;

import io.lettuce.core.RedisClient;
import org.arachne.frontier.Frontier;
import org.arachne.frontier.FrontierContractTest;
import org.arachne.frontier.FrontierSetup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisFrontier} keeps the frontier contract with a crawl of {@value #PARTITIONS} partitions
 * (docs/redis.md, "Partitions"), against a real {@code redis-server}; the crawl's clock is the
 * test's {@code ManualTicker} (passed to every script), and every test starts from an empty server.
 */
class RedisPartitionedContractTest extends FrontierContractTest {
    /** Enough that the contract's few hosts fall in several partitions. */
    static final int PARTITIONS = 5;

    @RegisterExtension static final RedisServer REDIS = new RedisServer();

    private static RedisClient client;

    @BeforeAll
    static void connect() {
        client = RedisFrontier.newClient();
    }

    @AfterAll
    static void disconnect() {
        RedisFrontier.shutdown(client);
    }

    @BeforeEach
    void emptyServer() {
        REDIS.flushAll();
    }

    @Override
    protected Frontier open(FrontierSetup setup) {
        return RedisFrontier.open(
                client,
                REDIS.uri(),
                setup,
                RedisFrontierOptions.defaults()
                        .withClock(RedisFrontierOptions.Clock.TICKER)
                        .withPartitions(PARTITIONS));
    }
}
