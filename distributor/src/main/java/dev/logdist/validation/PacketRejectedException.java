package dev.logdist.validation;

import java.util.List;

/** A request the distributor will not accept, with the HTTP status and the JSON error the client gets. */
public final class PacketRejectedException extends RuntimeException {

    private final int status;
    private final List<Violation> violations;

    public PacketRejectedException(int status, String error, List<Violation> violations) {
        super(error, null, false, false);
        this.status = status;
        this.violations = List.copyOf(violations);
    }

    public PacketRejectedException(int status, String error) {
        this(status, error, List.of());
    }

    public int status() {
        return status;
    }

    public List<Violation> violations() {
        return violations;
    }
}
