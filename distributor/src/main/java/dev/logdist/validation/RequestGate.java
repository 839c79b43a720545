package dev.logdist.validation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Checks what an HTTP request to {@code /logs} says about its body (method, media type, encoding, size) before
 * any JSON is read, and returns the body's bytes, decompressed and no larger than the body limit.
 */
public final class RequestGate {

    private final int maxBodyBytes;

    public RequestGate(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The JSON bytes of an acceptable request, or a {@link PacketRejectedException} with the 4xx it deserves. */
    public byte[] open(String method, String contentType, String contentEncoding, byte[] body) {
        if (!isJson(contentType)) {
            allowed(method);
            throw notJson(contentType);
        }
        return open(method, contentEncoding, body);
    }

    /**
     * The bytes of a request whose content type its route has already accepted (or refused with its own 415 after
     * this method's 405): the method, the size and the encoding checked, the body decompressed.
     */
    public byte[] open(String method, String contentEncoding, byte[] body) {
        allowed(method);
        byte[] raw = body == null ? new byte[0] : body;
        if (raw.length > maxBodyBytes) {
            throw tooLarge();
        }
        String encoding = contentEncoding == null ? "identity" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        return switch (encoding) {
            case "", "identity" -> raw;
            case "gzip", "x-gzip" -> gunzip(raw);
            default -> throw new PacketRejectedException(415, "Content-Encoding '" + contentEncoding
                    + "' is not supported; send identity or gzip",
                    List.of(new Violation("Content-Encoding", "must be gzip or identity")));
        };
    }

    /** The 405 for anything but POST. */
    public static void allowed(String method) {
        if (!"POST".equalsIgnoreCase(method)) {
            throw new PacketRejectedException(405, "method " + method + " is not allowed on /logs; use POST",
                    List.of(new Violation("method", "must be POST")));
        }
    }

    /** The 415 for a body that is not declared JSON. */
    public static PacketRejectedException notJson(String contentType) {
        return new PacketRejectedException(415, "Content-Type must be application/json, got "
                + (contentType == null ? "none" : "'" + contentType + "'"),
                List.of(new Violation("Content-Type", "must be application/json")));
    }

    public static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    private byte[] gunzip(byte[] raw) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 8192)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBodyBytes, raw.length * 8 + 64));
            byte[] buffer = new byte[16384];
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out.size() + n > maxBodyBytes) {
                    throw tooLarge();
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (ZipException | EOFException e) {
            throw new PacketRejectedException(400, "the body is not valid gzip (Content-Encoding: gzip)",
                    List.of(new Violation("$", "corrupt or truncated gzip data")));
        } catch (IOException e) {
            throw new PacketRejectedException(400, "the gzip body could not be read",
                    List.of(new Violation("$", String.valueOf(e.getMessage()))));
        }
    }

    private PacketRejectedException tooLarge() {
        return new PacketRejectedException(413, "the body is larger than " + maxBodyBytes
                + " bytes (distributor.max-body-bytes)", List.of(new Violation("$", "body too large")));
    }
}
