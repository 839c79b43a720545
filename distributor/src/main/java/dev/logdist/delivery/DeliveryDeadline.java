package dev.logdist.delivery;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * One deadline for the whole exchange with an analyzer: waiting for a pooled connection, connecting, writing the
 * body, waiting for the answer and reading it. At the deadline the request is cancelled, which closes its socket at
 * once (RST); that wakes a thread blocked in a socket write too, where no socket timeout reaches (a stopped or
 * partitioned analyzer whose buffers are full), and one reading an answer that trickles in below the read timeout.
 * A request that fails once its deadline has passed fails with {@link DeliveryDeadlineException}.
 * <p>
 * Installed on Camel's http and https components as their {@link HttpClientConfigurer}: the first interceptor of the
 * HttpClient exec chain arms the deadline, and the answer's body disarms it when it is read to its end or closed.
 */
public final class DeliveryDeadline implements HttpClientConfigurer {

    private final long deadlineMs;
    private final ScheduledExecutorService timer;

    /** {@code timer} runs the cancellations: each only closes a socket, so one thread is plenty. */
    public DeliveryDeadline(long deadlineMs, ScheduledExecutorService timer) {
        this.deadlineMs = deadlineMs;
        this.timer = timer;
        if (timer instanceof ScheduledThreadPoolExecutor pool) {
            pool.setRemoveOnCancelPolicy(true); // a deadline met leaves nothing behind in the timer's queue
        }
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addExecInterceptorFirst("delivery-deadline", this::execute);
    }

    private ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Armed armed = new Armed(scope);
        try {
            ClassicHttpResponse response = chain.proceed(request, scope);
            HttpEntity entity = response.getEntity();
            if (entity == null) {
                armed.disarm();
            } else {
                response.setEntity(new Watched(entity, armed));
            }
            return response;
        } catch (IOException | HttpException | RuntimeException e) {
            armed.disarm();
            if (armed.fired) {
                throw armed.exceeded(e);
            }
            throw e;
        }
    }

    /** The deadline of one exchange: cancels its request when it passes, unless disarmed first. */
    private final class Armed implements Runnable {
        private final Cancellable request;
        private final ExecChain.Scope scope;
        private final ScheduledFuture<?> timeout;
        private volatile boolean fired;

        Armed(ExecChain.Scope scope) {
            this.scope = scope;
            this.request = scope.originalRequest instanceof Cancellable c ? c : null;
            this.timeout = timer.schedule(this, deadlineMs, TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            fired = true;
            if (request != null) {
                request.cancel(); // cancels the connection lease, or closes the connection with a reset
            } else {
                scope.execRuntime.discardEndpoint();
            }
        }

        void disarm() {
            timeout.cancel(false);
        }

        DeliveryDeadlineException exceeded(Exception cause) {
            return new DeliveryDeadlineException("no complete answer from " + scope.route.getTargetHost() + " within "
                    + deadlineMs + " ms (connect, send, wait, read): request aborted", cause);
        }
    }

    /** The answer's body: read to its end or closed, the exchange is over; a read cut by the deadline says so. */
    private static final class Watched extends HttpEntityWrapper {
        private final Armed armed;

        Watched(HttpEntity entity, Armed armed) {
            super(entity);
            this.armed = armed;
        }

        @Override
        public InputStream getContent() throws IOException {
            InputStream in = super.getContent();
            return in == null ? null : new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    try {
                        return ended(super.read());
                    } catch (IOException e) {
                        throw cut(e);
                    }
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        return ended(super.read(b, off, len));
                    } catch (IOException e) {
                        throw cut(e);
                    }
                }

                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } catch (IOException e) {
                        throw cut(e);
                    } finally {
                        armed.disarm();
                    }
                }
            };
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = getContent()) {
                if (in != null) {
                    in.transferTo(out);
                }
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                armed.disarm();
            }
        }

        private int ended(int read) {
            if (read < 0) {
                armed.disarm();
            }
            return read;
        }

        private IOException cut(IOException e) {
            armed.disarm();
            return armed.fired ? armed.exceeded(e) : e;
        }
    }
}
