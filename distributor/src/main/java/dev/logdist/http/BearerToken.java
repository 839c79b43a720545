package dev.logdist.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The optional shared token ({@code DISTRIBUTOR_TOKEN}) that ingest and every changing admin call require as
 * {@code Authorization: Bearer <token>}; compared in constant time. Without a token configured, everything passes.
 */
public final class BearerToken {

    private final byte[] expected;

    public BearerToken(Optional<String> token) {
        this.expected = token.map(t -> ("Bearer " + t).getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /** Whether {@code authorization} (the header's value, null when absent) carries the token. */
    public boolean accepts(String authorization) {
        if (expected == null) {
            return true;
        }
        byte[] given = authorization == null ? new byte[0] : authorization.trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given);
    }
}
