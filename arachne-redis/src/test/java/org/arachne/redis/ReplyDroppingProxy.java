package org.arachne.redis;

import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy in front of a test's Redis that can lose one answer: armed with {@link
 * #dropNextReply()}, it throws away the next bytes the server sends and closes that connection, so
 * the command ran on the server and its client never heard back (as when a connection breaks or a
 * server stops right after a write).
 */
final class ReplyDroppingProxy implements AutoCloseable {
    private final ServerSocket listening;
    private final int target;
    private final AtomicBoolean dropNext = new AtomicBoolean();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    ReplyDroppingProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    /** The proxy's address, for a client. */
    RedisURI uri() {
        return RedisURI.create("redis://127.0.0.1:" + listening.getLocalPort());
    }

    /** The next answer the server sends is lost, and its connection closed. */
    void dropNextReply() {
        dropNext.set(true);
    }

    private void accept() {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(client);
                sockets.add(server);
                Thread.ofVirtual().start(() -> pump(client, server, false));
                Thread.ofVirtual().start(() -> pump(server, client, true));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean replies) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (replies && dropNext.compareAndSet(true, false)) {
                    break; // lost: neither these bytes nor any later ones reach the client
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other side closed: so does this one
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a test's socket that is closed already
        }
    }

    @Override
    public void close() throws IOException {
        listening.close();
        sockets.forEach(ReplyDroppingProxy::closeQuietly);
    }
}
