package org.arachne.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private {@code redis-server} for one test class, on a free loopback port, with its data in a
 * temporary directory and nothing saved unless {@link #withAppendOnly() append-only} is asked for;
 * started before the class's tests and stopped (by its process, never by name) after them. No test
 * uses a Redis that someone else started.
 *
 * <p>Without {@code redis-server} on this machine the class is skipped with a message that says how
 * to install it, except in CI (the environment variable {@code CI} is set), where {@code .ci/run}
 * installs it and its absence fails the class.
 */
final class RedisServer implements BeforeAllCallback, AfterAllCallback {
    private final boolean appendOnly;
    private @Nullable RedisProcess process;
    private @Nullable Path directory;
    private int port;

    RedisServer() {
        this(false);
    }

    private RedisServer(boolean appendOnly) {
        this.appendOnly = appendOnly;
    }

    /** A server that keeps every write in an append-only file, synced at each one. */
    static RedisServer withAppendOnly() {
        return new RedisServer(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        directory = RedisProcess.directory();
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            port = RedisProcess.freePort();
            try {
                start();
                return;
            } catch (IOException e) {
                last = e; // the port was taken meanwhile: another one
            }
        }
        throw last;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        if (directory != null) {
            RedisProcess.delete(directory);
        }
    }

    /** The server's address. */
    RedisURI uri() {
        return RedisURI.create("redis://127.0.0.1:" + port);
    }

    /** Starts the server again after {@link #stop}, on the same port and data directory. */
    void startAgain() throws IOException, InterruptedException {
        start();
    }

    /** Stops the server (SIGTERM, so an append-only file is complete) and waits for its end. */
    void stop() throws InterruptedException {
        RedisProcess p = process;
        process = null;
        if (p != null) {
            p.stop();
        }
    }

    /** Empties every database (scripts stay loaded), through a connection of its own. */
    void flushAll() {
        RedisClient client = RedisClient.create(uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().flushall();
        } finally {
            client.shutdown();
        }
    }

    private void start() throws IOException, InterruptedException {
        process =
                RedisProcess.start(
                        port,
                        directory,
                        appendOnly
                                ? List.of("--appendonly", "yes", "--appendfsync", "always")
                                : List.of("--appendonly", "no"));
    }
}
