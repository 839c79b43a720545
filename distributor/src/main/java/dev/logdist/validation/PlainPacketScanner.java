package dev.logdist.validation;

import dev.logdist.config.DistributorConfig.Limits;
import dev.logdist.model.LogPacket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Validates the everyday native packet in one pass over its UTF-8 bytes, without a tokenizer: objects, arrays,
 * strings and {@code null} where a field is optional, in any order and with any JSON whitespace. It answers the very
 * {@link LogPacket} {@link PacketParser} would for a packet without a violation, and null for everything else (any
 * violation, a number, a boolean, an escaped field name, a UTF-8 sequence Jackson reads leniently, a limit reached,
 * content after the packet): Jackson then reads the packet and decides, so a refusal stays word for word Jackson's.
 */
final class PlainPacketScanner {

    /** The deepest a packet this class reads nests: packet, messages, a message, its attributes. */
    private static final int DEPTH = 4;
    private static final int LONGEST_NAME = "attributes".length();
    private static final Name AGENT_ID = Name.of("agentId");
    private static final Name PACKET_ID = Name.of("packetId");
    private static final Name MESSAGES = Name.of("messages");
    private static final Name TIMESTAMP = Name.of("timestamp");
    private static final Name LEVEL = Name.of("level");
    private static final Name MESSAGE = Name.of("message");
    private static final Name SOURCE = Name.of("source");
    private static final Name SERVICE = Name.of("service");
    private static final Name ATTRIBUTES = Name.of("attributes");

    private final Limits limits;
    private final int maxStringChars;
    private final boolean enabled;

    /** With a {@link JsonGuard} of {@code maxDepth} and {@code maxStringChars}, the parser's own limits. */
    PlainPacketScanner(Limits limits, int maxDepth, int maxStringChars) {
        this.limits = limits;
        this.maxStringChars = maxStringChars;
        // Jackson refuses a longer field name than the string limit, even a known one: "attributes" has the most bytes
        this.enabled = maxDepth >= DEPTH && maxStringChars >= LONGEST_NAME;
    }

    /** The packet {@code body} (after {@link JsonGuard#utf8}) holds, or null: let Jackson decide. */
    LogPacket scan(byte[] body) {
        return enabled ? new Pass(body).packet() : null;
    }

    /** A field name and its closing quote; its first eight bytes also as one long, compared at once. */
    private record Name(byte[] bytes, long head, long mask) {

        static Name of(String field) {
            byte[] bytes = (field + '"').getBytes(StandardCharsets.US_ASCII);
            long head = 0;
            for (int k = 0; k < Math.min(8, bytes.length); k++) {
                head |= (bytes[k] & 0xffL) << (8 * k);
            }
            return new Name(bytes, head, bytes.length >= 8 ? -1L : (1L << (8 * bytes.length)) - 1);
        }
    }

    /** One body's reading; every method returns the index after what it read, or -1 for "not mine". */
    private final class Pass {
        private final byte[] b;
        private final PlainString string = new PlainString();
        private int[] bounds;
        private int count;
        private int[] keys;
        private String agentId;
        private String packetId;
        private boolean sawPacketId;
        /** Where the value {@link #id} read last ends. */
        private int after;

        Pass(byte[] body) {
            this.b = body;
        }

        LogPacket packet() {
            int i = ws(0);
            if (!at(i, '{')) {
                return null;
            }
            boolean sawMessages = false;
            i = ws(i + 1);
            for (;; i = ws(i + 1)) {
                if (!at(i, '"')) {
                    return null;
                }
                int name = i + 1;
                if (is(name, AGENT_ID) && agentId == null) {
                    agentId = id(value(name + AGENT_ID.bytes().length), false);
                    i = agentId == null ? -1 : after;
                } else if (is(name, PACKET_ID) && !sawPacketId) {
                    sawPacketId = true;
                    i = value(name + PACKET_ID.bytes().length);
                    if (isNull(i)) {
                        i += 4;
                    } else {
                        packetId = id(i, true);
                        i = packetId == null ? -1 : after;
                    }
                } else if (is(name, MESSAGES) && !sawMessages) {
                    sawMessages = true;
                    i = messages(value(name + MESSAGES.bytes().length));
                } else {
                    return null;
                }
                if (i < 0) {
                    return null;
                }
                i = ws(i);
                if (!at(i, ',')) {
                    break;
                }
            }
            if (!at(i, '}') || ws(i + 1) != b.length || agentId == null || !sawMessages) {
                return null;
            }
            return new LogPacket(agentId, packetId, sawPacketId, Arrays.copyOf(bounds, 2 * count), b, true);
        }

        /** The id at {@code i}, checked as {@code Fields.id}, with {@link #after} past it; null when not valid. */
        private String id(int i, boolean packet) {
            int end = string(i, PacketParser.MAX_ID_CHARS);
            if (end < 0 || end == i + 1) {
                return null;
            }
            after = end + 1;
            String text = PlainString.text(b, i + 1, end, string.plain);
            for (int k = 0; k < text.length(); k++) {
                char c = text.charAt(k);
                if (c <= ' ' || c == 0x7f || packet && c == '#') {
                    return null;
                }
            }
            return text;
        }

        private int messages(int i) {
            if (!at(i, '[')) {
                return -1;
            }
            // room for as many messages as the body could hold at 128 bytes each, most of the time enough
            bounds = new int[2 * Math.max(16, Math.min(limits.maxMessagesPerPacket(), b.length / 128))];
            i = ws(i + 1);
            for (;; i = ws(i + 1)) {
                if (count == limits.maxMessagesPerPacket() || !at(i, '{')) {
                    return -1;
                }
                int end = message(i);
                if (end < 0) {
                    return -1;
                }
                if (2 * count == bounds.length) {
                    bounds = Arrays.copyOf(bounds, 2 * bounds.length);
                }
                bounds[2 * count] = i;
                bounds[2 * count + 1] = end;
                count++;
                i = ws(end);
                if (!at(i, ',')) {
                    break;
                }
            }
            return at(i, ']') ? i + 1 : -1;
        }

        /** The message object at {@code i}, checked as {@link MessageReader} does; the index after its brace. */
        private int message(int i) {
            int seen = 0;
            i = ws(i + 1);
            for (;; i = ws(i + 1)) {
                if (!at(i, '"')) {
                    return -1;
                }
                int name = i + 1;
                int bit;
                // the first letter tells which name it must be
                switch (name < b.length ? b[name] : 0) {
                    case 't' -> {
                        bit = 1;
                        i = is(name, TIMESTAMP) ? timestamp(value(name + TIMESTAMP.bytes().length)) : -1;
                    }
                    case 'l' -> {
                        bit = 2;
                        i = is(name, LEVEL) ? level(value(name + LEVEL.bytes().length)) : -1;
                    }
                    case 'm' -> {
                        bit = 4;
                        i = is(name, MESSAGE) ? text(value(name + MESSAGE.bytes().length)) : -1;
                    }
                    case 's' -> {
                        boolean source = is(name, SOURCE);
                        bit = source ? 8 : 16;
                        i = source || is(name, SERVICE)
                                ? optional(value(name + SOURCE.bytes().length + (source ? 0 : 1)), MessageReader.MAX_NAME_CHARS)
                                : -1;
                    }
                    case 'a' -> {
                        bit = 32;
                        i = is(name, ATTRIBUTES) ? attributes(value(name + ATTRIBUTES.bytes().length)) : -1;
                    }
                    default -> {
                        return -1;
                    }
                }
                if (i < 0 || (seen & bit) != 0) {
                    return -1;
                }
                seen |= bit;
                i = ws(i);
                if (!at(i, ',')) {
                    break;
                }
            }
            return at(i, '}') && (seen & 7) == 7 ? i + 1 : -1;
        }

        private int timestamp(int i) {
            int end = string(i, 64);
            if (end < 0 || string.plain && PlainValues.timestamp(b, i + 1, end)) {
                return end < 0 ? -1 : end + 1;
            }
            return Timestamps.valid(PlainString.text(b, i + 1, end, string.plain)) ? end + 1 : -1;
        }

        private int level(int i) {
            int end = string(i, 16);
            if (end < 0 || string.plain && PlainValues.level(b, i + 1, end)) {
                return end < 0 ? -1 : end + 1;
            }
            return !string.plain && dev.logdist.model.Level.parse(PlainString.text(b, i + 1, end, false)) != null
                    ? end + 1 : -1;
        }

        private int text(int i) {
            int end = string(i, limits.maxMessageChars());
            return end < 0 || PlainString.blank(b, i + 1, end, string.plain) ? -1 : end + 1;
        }

        private int optional(int i, int maxChars) {
            if (isNull(i)) {
                return i + 4;
            }
            int end = string(i, maxChars);
            return end < 0 ? -1 : end + 1;
        }

        /** The attributes object (or null) at {@code i}: string values, distinct names, within the limits. */
        private int attributes(int i) {
            if (isNull(i)) {
                return i + 4;
            }
            if (!at(i, '{')) {
                return -1;
            }
            i = ws(i + 1);
            if (at(i, '}')) {
                return i + 1;
            }
            int n = 0;
            if (keys == null) {
                keys = new int[16];
            }
            for (;; i = ws(i + 1)) {
                if (!at(i, '"') || n == limits.maxAttributes()) {
                    return -1;
                }
                int key = i + 1;
                int end = string.read(b, key);
                // an escaped name could spell one seen before: Jackson decides
                if (end < 0 || end - key > maxStringChars || string.units < 1
                        || string.units > MessageReader.MAX_NAME_CHARS || !unescaped(key, end) || repeated(key, end, n)) {
                    return -1;
                }
                if (2 * n == keys.length) {
                    keys = Arrays.copyOf(keys, 2 * keys.length);
                }
                keys[2 * n] = key;
                keys[2 * n + 1] = end;
                n++;
                end = string(value(end + 1), MessageReader.MAX_ATTRIBUTE_VALUE_CHARS);
                if (end < 0) {
                    return -1;
                }
                i = ws(end + 1);
                if (!at(i, ',')) {
                    break;
                }
            }
            return at(i, '}') ? i + 1 : -1;
        }

        private boolean unescaped(int from, int to) {
            for (int k = from; k < to; k++) {
                if (b[k] == '\\') {
                    return false;
                }
            }
            return true;
        }

        private boolean repeated(int from, int to, int n) {
            for (int k = 0; k < n; k++) {
                if (Arrays.equals(b, keys[2 * k], keys[2 * k + 1], b, from, to)) {
                    return true;
                }
            }
            return false;
        }

        /** The string at {@code i} of at most {@code maxChars}: the index of its closing quote, or -1. */
        private int string(int i, int maxChars) {
            if (!at(i, '"')) {
                return -1;
            }
            int end = string.read(b, i + 1);
            return end < 0 || string.units > maxChars || string.units > maxStringChars ? -1 : end;
        }

        /** After a field name's closing quote at {@code i - 1}: the index of its value, past the colon. */
        private int value(int i) {
            i = ws(i);
            return at(i, ':') ? ws(i + 1) : -1;
        }

        private boolean is(int i, Name name) {
            byte[] bytes = name.bytes();
            if (i + 8 > b.length) {
                return i + bytes.length <= b.length && Arrays.equals(b, i, i + bytes.length, bytes, 0, bytes.length);
            }
            if ((PlainString.longAt(b, i) & name.mask()) != name.head()) {
                return false;
            }
            for (int k = 8; k < bytes.length; k++) {
                if (i + k >= b.length || b[i + k] != bytes[k]) {
                    return false;
                }
            }
            return true;
        }

        private boolean isNull(int i) {
            return i >= 0 && i + 4 <= b.length && b[i] == 'n' && b[i + 1] == 'u' && b[i + 2] == 'l' && b[i + 3] == 'l';
        }

        private boolean at(int i, char c) {
            return i >= 0 && i < b.length && b[i] == c;
        }

        /** The index of the first byte at or after {@code i} that is not JSON whitespace. */
        private int ws(int i) {
            while (i >= 0 && i < b.length) {
                byte c = b[i];
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    break;
                }
                i++;
            }
            return i;
        }
    }
}
