package dev.logdist.validation;

import java.util.List;

/** A message refused on its own while the rest of its packet was taken: its index in the packet and why. */
public record Refusal(int index, List<Violation> violations) {

    public Refusal {
        violations = List.copyOf(violations);
    }
}
