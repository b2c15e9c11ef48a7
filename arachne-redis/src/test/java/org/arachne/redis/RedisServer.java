package org.arachne.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private {@code redis-server} for one test class, on a free loopback port, with its data in a
 * temporary directory and nothing saved unless {@link #withAppendOnly() append-only} is asked for;
 * started before the class's tests and stopped (by its process, never by name) after them. No test
 * uses a Redis that someone else started. It may ask for a password ({@link #withPassword}, with an
 * ACL user beside the default one) or speak TLS only ({@link #withTls}, with a self-signed
 * certificate made for it). Public, in arachne-redis's test jar, for arachne-cli's tests.
 *
 * <p>Without {@code redis-server} on this machine the class is skipped with a message that says how
 * to install it, except in CI (the environment variable {@code CI} is set), where {@code .ci/run}
 * installs it and its absence fails the class.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {
    /** The ACL user of {@link #withPassword}. */
    public static final String ACL_USER = "arachne";

    private final boolean appendOnly;
    private final @Nullable String password;
    private final boolean tls;
    private @Nullable RedisProcess process;
    private @Nullable Path directory;
    private int port;

    public RedisServer() {
        this(false, null, false);
    }

    private RedisServer(boolean appendOnly, @Nullable String password, boolean tls) {
        this.appendOnly = appendOnly;
        this.password = password;
        this.tls = tls;
    }

    /** A server that keeps every write in an append-only file, synced at each one. */
    public static RedisServer withAppendOnly() {
        return new RedisServer(true, null, false);
    }

    /**
     * A server that asks for this password ({@code requirepass}) and has an ACL user {@link
     * #ACL_USER} with the same password and every right.
     */
    public static RedisServer withPassword(String password) {
        return new RedisServer(false, password, false);
    }

    /**
     * A server that speaks TLS only, with a self-signed certificate for 127.0.0.1 made by {@code
     * keytool} as it starts ({@link #certificate()}); clients need not show one.
     */
    public static RedisServer withTls() {
        return new RedisServer(false, null, true);
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

    /** The server's address, without credentials ({@code rediss://} for TLS). */
    public RedisURI uri() {
        return RedisURI.create(url());
    }

    /** The server's address as a URL, without credentials: {@code redis://127.0.0.1:PORT}. */
    public String url() {
        return (tls ? "rediss" : "redis") + "://127.0.0.1:" + port;
    }

    /** The port it listens on (TLS only, for a TLS server). */
    public int port() {
        return port;
    }

    /** The server's certificate (PEM), for a TLS server's clients to trust. */
    public Path certificate() {
        return directory.resolve("redis.crt");
    }

    /** Starts the server again after {@link #stop}, on the same port and data directory. */
    public void startAgain() throws IOException, InterruptedException {
        start();
    }

    /** Stops the server (SIGTERM, so an append-only file is complete) and waits for its end. */
    public void stop() throws InterruptedException {
        RedisProcess p = process;
        process = null;
        if (p != null) {
            p.stop();
        }
    }

    /** Empties every database (scripts stay loaded), through a connection of its own. */
    public void flushAll() {
        RedisURI uri = uri();
        if (password != null) {
            uri.setAuthentication(password.toCharArray());
        }
        if (tls) {
            uri.setVerifyPeer(false);
        }
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().flushall();
        } finally {
            client.shutdown();
        }
    }

    private void start() throws IOException, InterruptedException {
        List<String> options = new ArrayList<>();
        if (tls) {
            makeCertificate(directory);
            options.addAll(
                    List.of(
                            "--port", "0",
                            "--tls-port", Integer.toString(port),
                            "--tls-cert-file", certificate().toString(),
                            "--tls-key-file", directory.resolve("redis.key").toString(),
                            "--tls-ca-cert-file", certificate().toString(),
                            "--tls-auth-clients", "no"));
        }
        if (password != null) {
            options.addAll(
                    List.of(
                            "--requirepass",
                            password,
                            "--user",
                            ACL_USER,
                            "on",
                            ">" + password,
                            "~*",
                            "&*",
                            "+@all"));
        }
        if (appendOnly) {
            options.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        } else {
            options.addAll(List.of("--appendonly", "no"));
        }
        process = RedisProcess.start(port, directory, options);
    }

    /**
     * A self-signed certificate for 127.0.0.1 and its key, {@code redis.crt} and {@code redis.key}
     * (PEM) in {@code directory}, made with the JDK's keytool (a PKCS#12 store) and written out by
     * the JDK's key store API; kept when there already. Also for {@link RedisCluster#withTls()}.
     */
    static void makeCertificate(Path directory) throws IOException, InterruptedException {
        Path certificate = directory.resolve("redis.crt");
        if (Files.exists(certificate)) {
            return;
        }
        Path store = directory.resolve("redis.p12");
        char[] secret = "arachne-test".toCharArray();
        Process keytool =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "keytool")
                                        .toString(),
                                "-genkeypair",
                                "-alias",
                                "redis",
                                "-keyalg",
                                "RSA",
                                "-keysize",
                                "2048",
                                "-validity",
                                "2",
                                "-dname",
                                "CN=127.0.0.1",
                                "-ext",
                                "san=ip:127.0.0.1",
                                "-storetype",
                                "PKCS12",
                                "-keystore",
                                store.toString(),
                                "-storepass",
                                new String(secret))
                        .redirectErrorStream(true)
                        .start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (keytool.waitFor() != 0) {
            throw new IOException("keytool could not make a certificate:\n" + output);
        }
        try {
            java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
            try (java.io.InputStream in = Files.newInputStream(store)) {
                keys.load(in, secret);
            }
            Files.writeString(
                    certificate,
                    pem("CERTIFICATE", keys.getCertificate("redis").getEncoded()),
                    StandardCharsets.US_ASCII);
            Files.writeString(
                    directory.resolve("redis.key"),
                    pem("PRIVATE KEY", keys.getKey("redis", secret).getEncoded()),
                    StandardCharsets.US_ASCII);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read the certificate keytool made", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN "
                + type
                + "-----\n"
                + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END "
                + type
                + "-----\n";
    }
}
