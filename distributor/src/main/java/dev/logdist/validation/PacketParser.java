package dev.logdist.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.logdist.config.DistributorConfig.Limits;
import dev.logdist.model.LogPacket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a packet in one streaming pass and validates every field of every message; a packet with any invalid
 * field is rejected whole, listing up to {@value #MAX_VIOLATIONS} violations with their paths.
 */
public final class PacketParser {

    public static final int MAX_VIOLATIONS = 100;
    static final int MAX_ID_CHARS = 128;

    private final JsonFactory json;
    private final Limits limits;
    private final JsonGuard guard;
    private final PlainPacketScanner scanner;

    public PacketParser(Limits limits) {
        this(limits, new JsonGuard(32, Math.max(limits.maxMessageChars(), MAX_ID_CHARS) * 6 + 16));
    }

    public PacketParser(Limits limits, JsonGuard guard) {
        this.limits = limits;
        this.guard = guard;
        this.json = guard.factory();
        this.scanner = new PlainPacketScanner(limits, guard.maxDepth(), guard.maxStringChars());
    }

    /** The validated packet in {@code body} (UTF-8 JSON), or a {@link PacketRejectedException} with status 400. */
    public LogPacket parse(byte[] raw) {
        return read(raw, false).packet();
    }

    /**
     * The packet in {@code body} less its invalid messages, each listed as a {@link Refusal}: the per-message mode,
     * for protocols that answer per item. What is wrong with the packet itself (not JSON, no agent id, no messages)
     * still rejects it whole, as does a packet none of whose messages is valid.
     */
    public Parsed parseEach(byte[] raw) {
        return read(raw, true);
    }

    /**
     * What {@link #parseEach} would answer for {@code json}, a packet its writer wrote with agent id {@code agentId},
     * no packet id and the messages it told {@code messages} of, as it wrote them. When the writer's checks prove
     * every message valid and the packet within the limits, that answer is made from what they tell; else the packet
     * is read as {@link #parseEach} reads it.
     */
    public Parsed written(String agentId, byte[] json, WrittenMessages messages) {
        if (!messages.allValid() || messages.count() == 0 || messages.count() > limits.maxMessagesPerPacket()
                || messages.longestMessage() > limits.maxMessageChars()
                || messages.mostAttributes() > limits.maxAttributes()
                || agentId == null || !Fields.usable(agentId)
                || !guard.admits(WrittenMessages.DEPTH, Math.max(agentId.length(), messages.longestString()))
                || json.length == 0 || json[0] != '{') {
            return parseEach(json);
        }
        return new Parsed(new LogPacket(agentId, null, false, messages.bounds(), json, true), new ArrayList<>(0));
    }

    /** A packet read message by message: what was taken, and the messages refused (by their index in the body). */
    public record Parsed(LogPacket packet, List<Refusal> refused) {
    }

    private Parsed read(byte[] raw, boolean eachMessage) {
        if (raw.length == 0) {
            throw reject("the request body is empty", new Violation("$", "a packet is required"));
        }
        byte[] body = JsonGuard.utf8(raw);
        // the everyday valid packet, read off its bytes; anything else (every refusal among it) is Jackson's to judge
        LogPacket plain = scanner.scan(body);
        if (plain != null) {
            return new Parsed(plain, new ArrayList<>(0));
        }
        return jackson(body, eachMessage);
    }

    /** The packet read and judged by Jackson's streaming parser, field by field: every violation is found here. */
    Parsed jackson(byte[] body, boolean eachMessage) {
        Violations violations = new Violations();
        JsonParser reading = null;
        try (JsonParser p = json.createParser(body)) {
            reading = p;
            PacketFields fields = new PacketFields(p, violations, limits, eachMessage);
            fields.read();
            if (p.nextToken() != null) {
                violations.add("$", "unexpected content after the packet object");
            }
            if (eachMessage && violations.isEmpty() && fields.count == 0 && !fields.refused.isEmpty()) {
                for (Refusal refusal : fields.refused) {
                    refusal.violations().forEach(v -> violations.add(v.path(), v.problem()));
                }
            }
            if (!violations.isEmpty()) {
                throw reject("the packet has " + violations.describeCount() + "; nothing was accepted", violations.list());
            }
            LogPacket packet = new LogPacket(fields.agentId, fields.packetId, fields.sawPacketId,
                    java.util.Arrays.copyOf(fields.bounds, 2 * fields.count), body, fields.refused.isEmpty());
            return new Parsed(packet, fields.refused);
        } catch (StreamConstraintsException e) {
            throw guard.rejected(e, reading);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw reject("the body is not valid JSON" + where, new Violation("$", firstLine(e.getOriginalMessage())));
        } catch (IOException e) {
            throw reject("the body could not be read", new Violation("$", firstLine(e.getMessage())));
        }
    }

    private static PacketRejectedException reject(String error, Violation violation) {
        return reject(error, List.of(violation));
    }

    private static PacketRejectedException reject(String error, List<Violation> violations) {
        return new PacketRejectedException(400, error, violations);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unreadable";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    /** Collects violations, keeping the first {@value #MAX_VIOLATIONS} and counting the rest. */
    static final class Violations {
        private final List<Violation> list = new ArrayList<>();
        private int total;

        /** The path is an Object so that a {@link FieldPath} is spelled out only here, when a violation names it. */
        void add(Object path, String problem) {
            total++;
            if (list.size() < MAX_VIOLATIONS) {
                list.add(new Violation(path.toString(), problem));
            }
        }

        boolean isEmpty() {
            return total == 0;
        }

        /** The violations recorded after the first {@code total} ones, removed from this list (per-message mode). */
        List<Violation> takeSince(int mark) {
            List<Violation> taken = List.copyOf(list.subList(Math.min(mark, list.size()), list.size()));
            list.subList(Math.min(mark, list.size()), list.size()).clear();
            total = mark;
            return taken;
        }

        int total() {
            return total;
        }

        List<Violation> list() {
            return list;
        }

        String describeCount() {
            String n = total == 1 ? "1 invalid field" : total + " invalid fields";
            return total > list.size() ? n + " (the first " + list.size() + " are listed)" : n;
        }
    }

    /** Reads the top-level object; split from the parser so each reader stays small. */
    private static final class PacketFields {
        private final JsonParser p;
        private final Violations violations;
        private final Limits limits;
        private final MessageReader messageReader;
        String agentId;
        String packetId;
        boolean sawPacketId;
        /** Where each message's JSON object starts and ends (exclusive) in the body: start, end, start, end, ... */
        int[] bounds = new int[32];
        int count;
        /** In per-message mode, the invalid messages, left out of the bounds. */
        final List<Refusal> refused = new ArrayList<>(0);
        private final boolean eachMessage;

        PacketFields(JsonParser p, Violations violations, Limits limits, boolean eachMessage) {
            this.p = p;
            this.violations = violations;
            this.limits = limits;
            this.eachMessage = eachMessage;
            this.messageReader = new MessageReader(p, violations, limits);
        }

        void read() throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                violations.add("$", "a packet must be a JSON object");
                p.skipChildren();
                return;
            }
            boolean sawAgentId = false;
            boolean sawMessages = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("agentId") && sawAgentId || field.equals("packetId") && sawPacketId
                        || field.equals("messages") && sawMessages) {
                    Fields.repeated(p, field, violations);
                    continue;
                }
                switch (field) {
                    case "agentId" -> {
                        sawAgentId = true;
                        agentId = Fields.id(p, value, "agentId", violations, true);
                    }
                    case "packetId" -> {
                        sawPacketId = true;
                        packetId = Fields.id(p, value, "packetId", violations, false);
                    }
                    case "messages" -> {
                        sawMessages = true;
                        readMessages(value);
                    }
                    default -> {
                        // a blank name still gets a path a client can read
                        violations.add(field.isBlank() ? "$[\"" + field + "\"]" : field,
                                "unknown field (a packet has agentId, packetId and messages)");
                        p.skipChildren();
                    }
                }
            }
            if (!sawAgentId) {
                violations.add("agentId", "is required");
            }
            if (!sawMessages) {
                violations.add("messages", "is required");
            }
        }


        private void readMessages(JsonToken value) throws IOException {
            if (value != JsonToken.START_ARRAY) {
                violations.add("messages", "must be an array of log messages");
                p.skipChildren();
                return;
            }
            int index = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (index == limits.maxMessagesPerPacket()) {
                    violations.add("messages", "holds more than " + limits.maxMessagesPerPacket()
                            + " messages, the most one packet may carry (distributor.max-messages-per-packet)");
                    p.skipChildren();
                    skipRestOfArray();
                    return;
                }
                int start = (int) p.currentTokenLocation().getByteOffset();
                int mark = violations.total();
                // a message's violations can be taken out only while none has gone uncounted in the list
                boolean separable = eachMessage && mark == violations.list().size();
                boolean valid = messageReader.read(index);
                if (!valid && separable) {
                    refused.add(new Refusal(index, violations.takeSince(mark)));
                }
                if (valid) {
                    if (2 * count == bounds.length) {
                        bounds = java.util.Arrays.copyOf(bounds, 2 * bounds.length);
                    }
                    bounds[2 * count] = start;
                    bounds[2 * count + 1] = (int) p.currentTokenLocation().getByteOffset() + 1;
                    count++;
                }
                index++;
            }
            if (index == 0) {
                violations.add("messages", "must hold at least 1 message");
            }
        }

        private void skipRestOfArray() throws IOException {
            while (p.nextToken() != JsonToken.END_ARRAY) {
                p.skipChildren();
            }
        }
    }
}
