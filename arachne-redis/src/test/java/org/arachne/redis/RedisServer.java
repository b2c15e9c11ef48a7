package org.arachne.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
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
    private static final List<Path> CANDIDATES =
            List.of(Path.of("/usr/bin/redis-server"), Path.of("/usr/local/bin/redis-server"));

    private final boolean appendOnly;
    private @Nullable Process process;
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
        directory = Files.createTempDirectory("arachne-redis-test");
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            port = freePort();
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
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
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
        Process p = process;
        process = null;
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
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
        Path binary = binary();
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(
                List.of(
                        "--port", Integer.toString(port),
                        "--bind", "127.0.0.1",
                        "--dir", directory.toString(),
                        "--save", "",
                        "--daemonize", "no",
                        "--logfile", ""));
        if (appendOnly) {
            command.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        } else {
            command.addAll(List.of("--appendonly", "no"));
        }
        Process started = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        StringBuilder output = new StringBuilder();
        Thread.ofVirtual()
                .start(
                        () -> {
                            try (BufferedReader in =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    started.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = in.readLine()) != null) {
                                    if (!ready.isDone()) {
                                        output.append(line).append('\n');
                                    }
                                    if (line.contains("Ready to accept connections")) {
                                        ready.complete(true);
                                    }
                                }
                                ready.complete(false);
                            } catch (IOException e) {
                                ready.completeExceptionally(e);
                            }
                        });
        boolean up;
        try {
            up = ready.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            up = false;
        }
        if (!up) {
            started.destroyForcibly().waitFor();
            throw new IOException("redis-server did not start on port " + port + ":\n" + output);
        }
        process = started;
    }

    private static Path binary() {
        String path = System.getenv("PATH");
        List<Path> candidates = new ArrayList<>();
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                candidates.add(Path.of(dir, "redis-server"));
            }
        }
        candidates.addAll(CANDIDATES);
        for (Path p : candidates) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String message =
                "redis-server is not installed: these tests start one of their own on a loopback"
                        + " port (install it with `apt-get install redis-server`; .ci/run does)";
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(message);
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
