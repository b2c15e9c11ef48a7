package org.arachne.redis;

import io.lettuce.core.cluster.RedisClusterClient;
import org.arachne.frontier.Frontier;
import org.arachne.frontier.FrontierContractTest;
import org.arachne.frontier.FrontierSetup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisFrontier} keeps the frontier contract on a Redis Cluster of three nodes, through the
 * cluster client: the crawl's keys share a hash tag, so every script runs on the one node that
 * holds them. The crawl's clock is the test's {@code ManualTicker}; every test starts from empty
 * nodes.
 */
class RedisClusterContractTest extends FrontierContractTest {
    @RegisterExtension static final RedisCluster CLUSTER = new RedisCluster();

    private static RedisClusterClient client;

    @BeforeAll
    static void connect() {
        client = RedisFrontier.newClusterClient(CLUSTER.seeds());
    }

    @AfterAll
    static void disconnect() {
        RedisFrontier.shutdown(client);
    }

    @BeforeEach
    void emptyCluster() {
        CLUSTER.flushAll();
    }

    @Override
    protected Frontier open(FrontierSetup setup) {
        return RedisFrontier.open(
                client,
                setup,
                RedisFrontierOptions.defaults().withClock(RedisFrontierOptions.Clock.TICKER));
    }
}
