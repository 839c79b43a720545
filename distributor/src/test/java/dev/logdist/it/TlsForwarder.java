package dev.logdist.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** An HTTPS front for a plain analyzer: takes TLS on its own loopback port and pipes the bytes to the analyzer. */
final class TlsForwarder implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    /** TLS handshakes completed, and failed (the client refused the certificate, say). */
    final AtomicInteger handshakes = new AtomicInteger();
    final AtomicInteger failedHandshakes = new AtomicInteger();

    TlsForwarder(SSLContext context, int target) throws IOException {
        this.server = context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = target;
        threads.submit(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Runs until {@link #close()} closes the server socket. */
    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                threads.submit(() -> forward((SSLSocket) client));
            } catch (IOException e) {
                // closed, or one connection failed: the loop condition decides
            }
        }
    }

    private void forward(SSLSocket client) {
        try {
            client.setSoTimeout(30_000);
            client.startHandshake();
            handshakes.incrementAndGet();
            Socket analyzer = new Socket(InetAddress.getLoopbackAddress(), target);
            open.add(analyzer);
            threads.submit(() -> pipe(analyzer, client));
            pipe(client, analyzer);
        } catch (IOException e) {
            failedHandshakes.incrementAndGet();
            closeQuietly(client);
        }
    }

    /** Copies until either side closes (a failed TLS handshake included), then closes both. */
    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // the other direction or the peer ended the connection
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(TlsForwarder::closeQuietly);
        threads.shutdownNow();
    }
}
