package org.arachne.sandbox;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.arachne.sandbox.route.Replies;
import org.arachne.sandbox.route.WireReplies;
import org.arachne.sandbox.route.WireRequest;
import org.arachne.sandbox.route.WireRoute;
import org.jspecify.annotations.Nullable;

/**
 * The sandbox's wire port on one host IP: a plain HTTP/1.1 server on a raw socket, so that {@link
 * WireRoute}s decide every byte and what the connection does after each answer (close it without
 * warning, close it after an idle time), which the JDK's server does not let a handler decide.
 * Connections are kept alive by default; unknown paths (robots.txt included) answer 404. Requests
 * are recorded in the host's {@link RequestLog} like those of the main port.
 *
 * <p>Thread-safety: one virtual thread accepts, one serves each connection.
 */
final class WireServer implements AutoCloseable {
    private final ServerSocket listener;
    private final List<WireRoute> routes;
    private final List<RequestLog> logs;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    /**
     * Binds {@code ip:port} (0 for any free port) without serving yet.
     *
     * @param logs where each request is recorded (the host's log and the all-hosts log)
     */
    WireServer(InetAddress ip, int port, List<WireRoute> routes, List<RequestLog> logs)
            throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(new InetSocketAddress(ip, port), 1024);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        this.listener = socket;
        this.routes = List.copyOf(routes);
        this.logs = List.copyOf(logs);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Accepts connections on {@code threads} until {@link #close()}. */
    void start(ExecutorService threads) {
        threads.execute(
                () -> {
                    while (!listener.isClosed()) {
                        Socket socket;
                        try {
                            socket = listener.accept();
                        } catch (IOException e) {
                            return; // closed
                        }
                        open.add(socket);
                        threads.execute(() -> serve(socket));
                    }
                });
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            Duration idle = WireRoute.KEEP_ALIVE;
            while (!idle.isZero()) {
                socket.setSoTimeout((int) Math.max(1, idle.toMillis()));
                WireRequest request;
                try {
                    request = WireRequest.read(in);
                } catch (SocketTimeoutException e) {
                    return; // idle for too long: the server closes the connection
                }
                if (request == null) {
                    return; // the client closed it
                }
                idle = answer(request, out);
            }
        } catch (IOException e) {
            // the client went away, or sent what is no HTTP/1.x request: drop the connection
        } finally {
            open.remove(socket);
        }
    }

    private Duration answer(WireRequest request, OutputStream out) throws IOException {
        String path = request.path();
        for (RequestLog log : logs) {
            log.started(
                    request.method(),
                    path,
                    request.target(),
                    request.headers().get("host"),
                    request.headers().get("referer"));
        }
        try {
            WireRoute route = route(path);
            if (route == null) {
                WireReplies.send(out, 404, "Not Found", page("Not found"));
                return WireRoute.KEEP_ALIVE;
            }
            try {
                return route.answer(request, out);
            } catch (IllegalArgumentException e) {
                WireReplies.send(out, 400, "Bad Request", page(String.valueOf(e.getMessage())));
                return WireRoute.KEEP_ALIVE;
            }
        } finally {
            for (RequestLog log : logs) {
                log.finished();
            }
        }
    }

    private static byte[] page(String title) {
        return Replies.simplePage(title, "").getBytes(StandardCharsets.UTF_8);
    }

    private @Nullable WireRoute route(String path) {
        for (WireRoute route : routes) {
            String p = route.path();
            if (p.endsWith("/") ? path.startsWith(p) : path.equals(p)) {
                return route;
            }
        }
        return null;
    }

    /** Stops accepting and closes every open connection. */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing a listener has nothing left to report
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException e) {
                // already broken: nothing to close
            }
        }
    }
}
