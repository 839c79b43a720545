package dev.logdist.validation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
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

    /** Throws a 401 {@link PacketRejectedException} unless {@code authorization} carries the token. */
    public void check(String authorization) {
        if (expected == null) {
            return;
        }
        byte[] given = authorization == null ? new byte[0] : authorization.trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, given)) {
            throw new PacketRejectedException(401, authorization == null
                    ? "an Authorization: Bearer <token> header is required" : "the bearer token is not valid",
                    List.of(new Violation("Authorization", "must be Bearer <DISTRIBUTOR_TOKEN>")));
        }
    }
}
