package org.arachne.redis;

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
import org.junit.jupiter.api.Assumptions;

/**
 * One {@code redis-server} process of a test: started on a loopback port with its data in a
 * directory of the test's, ready once it says so, stopped by its own process (never by name).
 * {@link RedisServer} and {@link RedisCluster} are made of these.
 */
final class RedisProcess {
    private static final List<Path> CANDIDATES =
            List.of(Path.of("/usr/bin/redis-server"), Path.of("/usr/local/bin/redis-server"));

    private final Process process;
    private final int port;

    private RedisProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts {@code redis-server} on 127.0.0.1:{@code port}, nothing saved but what {@code options}
     * ask for, and waits (at most 20 s) until it accepts connections.
     *
     * @throws IOException when it did not start (its output is in the message): the port may have
     *     been taken meanwhile
     */
    static RedisProcess start(int port, Path directory, List<String> options)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.addAll(
                List.of(
                        "--port", Integer.toString(port),
                        "--bind", "127.0.0.1",
                        "--dir", directory.toString(),
                        "--save", "",
                        "--daemonize", "no",
                        "--logfile", ""));
        command.addAll(options);
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
        return new RedisProcess(started, port);
    }

    int port() {
        return port;
    }

    /** Stops the server (SIGTERM, so an append-only file is complete) and waits for its end. */
    void stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** A temporary directory for a server's data. */
    static Path directory() throws IOException {
        return Files.createTempDirectory("arachne-redis-test");
    }

    /** Deletes a directory from {@link #directory()} and everything in it. */
    static void delete(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * The {@code redis-server} binary on the PATH or in the usual places. Missing, the test class
     * is skipped with a message saying how to install it, except in CI (the variable {@code CI} is
     * {@code true}), where {@code .ci/run} installs it and its absence fails the class.
     */
    static Path binary() {
        return executable("redis-server");
    }

    /** {@code redis-cli}, found as {@link #binary()} is (the same package installs both). */
    static Path cli() {
        return executable("redis-cli");
    }

    private static Path executable(String name) {
        String path = System.getenv("PATH");
        List<Path> candidates = new ArrayList<>();
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                candidates.add(Path.of(dir, name));
            }
        }
        for (Path p : CANDIDATES) {
            candidates.add(p.resolveSibling(name));
        }
        for (Path p : candidates) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String message =
                name
                        + " is not installed: these tests start a redis-server of their own on a"
                        + " loopback port (install it with `apt-get install redis-server`; .ci/run"
                        + " does)";
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(message);
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /** A port that was free a moment ago on the loopback address. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
