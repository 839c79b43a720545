package dev.logdist.ingest;

import dev.logdist.validation.Refusal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A request of another protocol as a native packet: its JSON ({@code packet}), the item each of its messages was
 * made from ({@code itemOfMessage}), the items refused before validation and how many items the request held.
 */
public record Translation(byte[] packet, int[] itemOfMessage, List<Refusal> refused, int items) {

    /**
     * Every refused item, by its index in the request, in order: those refused while translating and those whose
     * message the validator refused ({@code byValidator}, indexed by message).
     */
    public List<Refusal> refusedItems(List<Refusal> byValidator) {
        List<Refusal> all = new ArrayList<>(refused.size() + byValidator.size());
        all.addAll(refused);
        for (Refusal r : byValidator) {
            all.add(new Refusal(itemOfMessage[r.index()], r.violations()));
        }
        all.sort(Comparator.comparingInt(Refusal::index));
        return all;
    }

    /** Whether the request held a message at all (a request of refused items only has none). */
    public boolean hasMessages() {
        return itemOfMessage.length > 0;
    }
}
