package dev.logdist.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads an ingest request's body into one array, sized from its {@code Content-Length} when it has one, so that each
 * byte is copied once out of the network buffers. Vert.x's body handler starts from a small buffer it doubles and
 * copies again into an array for the route (three copies and a run of garbage arrays for a 170 KB packet). A body over
 * {@code limit} bytes is answered 413 like the body handler's, by failing the routing context, and read no further.
 */
final class RequestBody {

    /** What a body without a {@code Content-Length} (chunked) starts from. */
    private static final int UNKNOWN_LENGTH_START = 4096;

    private final int limit;
    private byte[] bytes;
    private int size;
    private boolean tooLarge;

    private RequestBody(int expected, int limit) {
        this.limit = limit;
        this.bytes = new byte[expected];
    }

    /**
     * Reads {@code request}'s body and hands it to {@code then} once it has all arrived; a body larger than
     * {@code limit} bytes makes {@code tooLarge} run instead (at once when its {@code Content-Length} says so), a
     * connection lost on the way {@code failed}. Call while the request's head is being handled, before any of its
     * body is read.
     */
    static void read(HttpServerRequest request, int limit, Consumer<byte[]> then, Runnable tooLarge,
                     Consumer<Throwable> failed) {
        long length = contentLength(request);
        if (length > limit) {
            tooLarge.run();
            return;
        }
        RequestBody body = new RequestBody(length >= 0 ? (int) length : Math.min(UNKNOWN_LENGTH_START, limit), limit);
        request.handler(chunk -> {
            if (body.tooLarge) {
                return; // answered already: the rest of the body is read and dropped
            }
            body.append(chunk);
            if (body.tooLarge) {
                tooLarge.run();
            }
        });
        request.exceptionHandler(failed::accept);
        request.endHandler(v -> {
            if (!body.tooLarge) {
                then.accept(body.bytes());
            }
        });
        request.resume();
    }

    /** The request's {@code Content-Length}, or -1 when it has none or one that is no length (Vert.x refuses those). */
    static long contentLength(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void append(Buffer chunk) {
        int n = chunk.length();
        if (n > limit - size) {
            tooLarge = true;
            bytes = null;
            return;
        }
        if (size + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(size + n, 2L * bytes.length)));
        }
        chunk.getBytes(0, n, bytes, size);
        size += n;
    }

    /** The body as read: the array itself when its {@code Content-Length} was right, as it is for every HTTP/1.1 body. */
    byte[] bytes() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }
}
