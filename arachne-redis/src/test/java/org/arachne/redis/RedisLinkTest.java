package org.arachne.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.util.List;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.FrontierSetup;
import org.junit.jupiter.api.Test;

/**
 * The Redis addresses a user gives: one server, or a cluster's nodes in one URL; and what a failed
 * connection says about them (host and port, never credentials).
 */
class RedisLinkTest {
    @Test
    void seeds_ofOneAddress_areThatServer() {
        List<RedisURI> seeds = RedisFrontier.seeds("redis://127.0.0.1:7000");

        assertThat(seeds)
                .singleElement()
                .satisfies(uri -> assertThat(uri.getPort()).isEqualTo(7000));
    }

    @Test
    void seeds_ofSeveralHosts_areEachHost_withTheUrlsCredentials() {
        List<RedisURI> seeds = RedisFrontier.seeds("redis://crawler:s3cret@h1:7000,h2:7001,h3");

        assertThat(seeds)
                .extracting(RedisURI::getHost, RedisURI::getPort)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("h1", 7000),
                        org.assertj.core.groups.Tuple.tuple("h2", 7001),
                        org.assertj.core.groups.Tuple.tuple("h3", RedisURI.DEFAULT_REDIS_PORT));
        assertThat(seeds)
                .allSatisfy(
                        uri -> {
                            RedisCredentials credentials =
                                    uri.getCredentialsProvider().resolveCredentials().block();
                            assertThat(credentials.getUsername()).isEqualTo("crawler");
                            assertThat(new String(credentials.getPassword())).isEqualTo("s3cret");
                        });
    }

    @Test
    void seeds_ofSomethingElse_isRefused() {
        assertThatThrownBy(() -> RedisFrontier.seeds("redis://a b:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a Redis URL");
    }

    @Test
    void connecting_toNoServer_failsAsTransient_namingHostAndPortWithoutCredentials() {
        int port = RedisProcess.freePort();
        List<RedisURI> seeds = RedisFrontier.seeds("redis://crawler:s3cret@127.0.0.1:" + port);

        assertThatThrownBy(
                        () ->
                                RedisFrontier.open(
                                        seeds,
                                        FrontierSetup.plainQueue().withCrawl("books"),
                                        RedisFrontierOptions.defaults()))
                .isInstanceOfSatisfying(
                        FrontierException.class, e -> assertThat(e.isTransient()).isTrue())
                .hasMessageContaining("Redis at 127.0.0.1:" + port)
                .hasMessageNotContaining("s3cret");
    }
}
