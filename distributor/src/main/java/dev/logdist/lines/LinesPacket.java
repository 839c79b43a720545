package dev.logdist.lines;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logdist.ingest.NativePacket;
import dev.logdist.ingest.Translation;
import dev.logdist.model.LogPacket;
import dev.logdist.validation.PacketParser;
import dev.logdist.validation.PacketRejectedException;
import dev.logdist.validation.Refusal;
import dev.logdist.validation.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A request's records as one native packet of agent {@code agentId}, validated as every packet is: what was taken,
 * and the records refused, by their index in the request and with paths in the record's own keys ({@code [3].level}).
 * Whole or nothing unless {@code partial}: then the valid records are taken and the others listed.
 */
final class LinesPacket {

    /** A packet of records taken: the packet, and the records refused (none when all were taken). */
    record Taken(LogPacket packet, List<Refusal> refused) {
    }

    private final RecordMapping mapping;
    private final PacketParser parser;

    LinesPacket(RecordMapping mapping, PacketParser parser) {
        this.mapping = mapping;
        this.parser = parser;
    }

    Taken take(String agentId, List<Records.Item> items, boolean partial) {
        NativePacket packet = NativePacket.of(agentId, null);
        for (int i = 0; i < items.size(); i++) {
            Records.Item item = items.get(i);
            if (item.problem() != null) {
                packet.refuse(i, "[" + i + "]", item.problem());
            } else if (item.flat() == null || !mapping.writeFlat(packet, i, item.flat())) {
                mapping.write(packet, i, item.record());
            }
        }
        Translation translation = packet.finish();
        if (!translation.hasMessages()) {
            throw rejected("no record of " + items.size() + " could be taken", translation.refused());
        }
        PacketParser.Parsed parsed;
        try {
            parsed = parser.written(agentId, translation.packet(), packet.written());
        } catch (PacketRejectedException e) {
            if (e.status() != 400) {
                throw e;
            }
            List<Refusal> all = new ArrayList<>(translation.refused());
            all.add(new Refusal(-1, e.violations().stream().map(v -> inRecords(v, translation, items)).toList()));
            throw rejected("no record of " + items.size() + " could be taken", all);
        }
        List<Refusal> refused = new ArrayList<>();
        for (Refusal r : translation.refusedItems(parsed.refused())) {
            List<Violation> violations = r.violations().stream().map(v -> inRecords(v, translation, items)).toList();
            refused.add(new Refusal(r.index(), violations));
        }
        if (!partial && !refused.isEmpty()) {
            throw rejected(refused.size() + " of " + items.size() + " records are invalid", refused);
        }
        return new Taken(parsed.packet(), refused);
    }

    private static PacketRejectedException rejected(String what, List<Refusal> refused) {
        List<Violation> violations = new ArrayList<>();
        for (Refusal r : refused) {
            for (Violation v : r.violations()) {
                if (violations.size() < PacketParser.MAX_VIOLATIONS) {
                    violations.add(v);
                }
            }
        }
        return new PacketRejectedException(400, what + "; nothing was accepted", violations);
    }

    /**
     * A validator's violation ({@code messages[5].level}, {@code agentId}) in the request's terms: the record's index
     * and the key that fed the field ({@code [7].severity}); the agent id is the {@code X-Agent-Id} header's.
     */
    private Violation inRecords(Violation v, Translation translation, List<Records.Item> items) {
        String path = v.path();
        if (path.equals("agentId")) {
            return new Violation("X-Agent-Id", v.problem());
        }
        if (path.equals("messages")) {
            return new Violation("$", v.problem().replace("messages", "records"));
        }
        if (!path.startsWith("messages[")) {
            return v;
        }
        int close = path.indexOf(']');
        int message = Integer.parseInt(path.substring("messages[".length(), close));
        int item = translation.itemOfMessage()[message];
        String rest = path.substring(close + 1);
        if (rest.isEmpty()) {
            return new Violation("[" + item + "]", v.problem());
        }
        String field = rest.substring(1);
        if (field.startsWith("attributes.")) {
            return new Violation(RecordMapping.path(item, field.substring("attributes.".length())), v.problem());
        }
        ObjectNode record = items.get(item).record();
        Map<String, String> keys = mapping.keysFor(record);
        return new Violation(RecordMapping.path(item, keys.getOrDefault(field, field)), v.problem());
    }
}
