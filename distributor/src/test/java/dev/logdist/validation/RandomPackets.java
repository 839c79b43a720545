package dev.logdist.validation;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Random native packets, mostly valid, each with a small chance of whatever can be wrong or unusual: whitespace,
 * escapes, surrogates, control characters, duplicate, unknown or missing fields, wrong types, nulls, blank messages,
 * values at a limit and one past it, too many attributes or messages, content after the packet, bytes that are not
 * UTF-8. The limits are the parser's under test, so that lengths land on their edges.
 */
final class RandomPackets {

    /** Stand-ins, replaced by bytes that are not (strict) UTF-8 once the text is encoded. */
    private static final char BAD_FIRST = '\ue000';
    private static final byte[][] BAD_BYTES = {
        {(byte) 0xff}, {(byte) 0x80}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0xc3}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        {(byte) 0xe2, (byte) 0x82}, {(byte) 0xf5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xe0, (byte) 0x80, (byte) 0x80}, {(byte) 0xc1, (byte) 0xbf},
    };
    private static final String[] LEVELS = {"INFO", "info", "Warn", "warning", "ERROR", "err", "crit", "critical", "alert",
        "fatal", "emerg", "emergency", "panic", "notice", "informational", "debug", "TRACE", "\u0131nfo", "\\u0049NFO",
        "inf", "verbose", "", " INFO", "INFO ", "\u017fevere"};
    private static final String[] WHITESPACE = {"", "", "", "", " ", "\n", "\t", "\r\n", "  "};
    private static final String[] WRONG = {"12", "-1.5e3", "true", "false", "null", "{}", "[]", "[\"a\"]", "{\"a\":\"b\"}",
        "\"x\"", "01", "nul", "NULL", "\"\"", "1e999"};

    private final Random r;
    private final int maxMessages;
    private final int maxMessageChars;
    private final int maxAttributes;
    private final int maxStringChars;
    /** One in {@code rare} choices goes wrong. */
    private final int rare;

    RandomPackets(long seed, int maxMessages, int maxMessageChars, int maxAttributes, int maxStringChars, int rare) {
        this.r = new Random(seed);
        this.maxMessages = maxMessages;
        this.maxMessageChars = maxMessageChars;
        this.maxAttributes = maxAttributes;
        this.maxStringChars = maxStringChars;
        this.rare = rare;
    }

    byte[] next() {
        List<String> members = new ArrayList<>();
        if (!rare()) {
            members.add(member("agentId", rare() ? wrong() : id()));
        }
        if (r.nextInt(3) == 0) {
            members.add(member("packetId", r.nextInt(6) == 0 ? "null" : rare() ? wrong() : id()));
        }
        if (!rare()) {
            members.add(member("messages", rare() ? wrong() : messages()));
        }
        if (rare()) {
            members.add(member(rare() ? "agentId" : name(r.nextInt(8)), rare() ? wrong() : string(4)));
        }
        if (rare() && !members.isEmpty()) {
            members.add(members.get(r.nextInt(members.size())));
        }
        if (r.nextBoolean()) {
            Collections.shuffle(members, r);
        }
        String text = ws() + "{" + String.join(",", members) + "}" + ws() + (rare() ? trailing() : "");
        byte[] body = encode(text);
        if (r.nextInt(rare * 4) == 0) {
            byte[] bom = new byte[body.length + 3];
            bom[0] = (byte) 0xef;
            bom[1] = (byte) 0xbb;
            bom[2] = (byte) 0xbf;
            System.arraycopy(body, 0, bom, 3, body.length);
            return bom;
        }
        return body;
    }

    private String trailing() {
        return switch (r.nextInt(5)) {
            case 0 -> "x";
            case 1 -> "{}";
            case 2 -> "}";
            case 3 -> "\u000b";
            default -> ",";
        };
    }

    private String messages() {
        int n = r.nextInt(20) == 0 ? (r.nextBoolean() ? 0 : maxMessages + 1) : 1 + r.nextInt(Math.min(maxMessages, 6));
        StringBuilder b = new StringBuilder("[").append(ws());
        // past a large limit, one small message over and over
        String many = n > 50 ? "{\"timestamp\":\"2026-11-25T12:00:00Z\",\"level\":\"info\",\"message\":\"m\"}" : null;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(many != null ? "," : ws() + "," + ws());
            }
            b.append(many != null ? many : rare() ? wrong() : message());
        }
        return b.append(ws()).append(rare() ? ",]" : "]").toString();
    }

    private String message() {
        List<String> members = new ArrayList<>();
        if (!rare()) {
            members.add(member("timestamp", rare() ? wrong() : timestamp()));
        }
        if (!rare()) {
            members.add(member("level", rare() ? wrong() : quoted(LEVELS[rare() ? r.nextInt(LEVELS.length) : r.nextInt(3)])));
        }
        if (!rare()) {
            members.add(member("message", rare() ? wrong() : text()));
        }
        for (String optional : new String[] {"source", "service"}) {
            if (r.nextBoolean()) {
                members.add(member(optional, r.nextInt(8) == 0 ? "null" : rare() ? wrong()
                        : quoted(chars(rare() ? edge(MessageReader.MAX_NAME_CHARS) : r.nextInt(12)))));
            }
        }
        if (r.nextInt(3) == 0) {
            members.add(member("attributes", r.nextInt(8) == 0 ? "null" : rare() ? wrong() : attributes()));
        }
        if (rare()) {
            members.add(member(rare() ? "Message" : name(r.nextInt(6)), string(5)));
        }
        if (rare() && !members.isEmpty()) {
            members.add(members.get(r.nextInt(members.size())));
        }
        if (r.nextInt(4) == 0) {
            Collections.shuffle(members, r);
        }
        return "{" + String.join(",", members) + "}";
    }

    private String timestamp() {
        if (!rare()) {
            return quoted(String.format("2026-11-25T12:%02d:%02d.%03dZ", r.nextInt(60), r.nextInt(60), r.nextInt(1000)));
        }
        String[] odd = {"2026-11-25T12:00:00Z", "2026-11-25T12:00:00+02:00", "2026-11-25T12:00:00.123456789-05:30",
            "2026-11-25T12:00:00.1234567890Z", "2026-02-29T12:00:00Z", "2024-02-29T12:00:00Z", "2026-04-31T00:00:00Z",
            "2026-11-25t12:00:00z", "2026-11-25T12:00Z", "2026-11-25T24:00:00Z", "2026-11-25T12:00:00+18:00",
            "2026-11-25T12:00:00+18:30", "2026-11-25T12:00:00\\u002e5Z", "2026-11-25 12:00:00Z", "2026-11-25T12:00:00",
            "+12026-11-25T12:00:00Z", "2026-11-25T12:00:60Z", "2026-13-25T12:00:00Z", "2026-11-25T12:00:00.Z",
            "2026-11-25T12:00:00+0200", "2026-11-25T12:00:00.5+02:00:30", "", "x".repeat(65)};
        return quoted(odd[r.nextInt(odd.length)]);
    }

    private String text() {
        if (rare()) {
            String[] blank = {"", " ", "\\t", "\\n \\r", "\\u2003", "\\u00a0", " x", "\\u001c", "\u3000", "\u00a0", "\u0085"};
            return quoted(blank[r.nextInt(blank.length)]);
        }
        return quoted(chars(rare() ? edge(maxMessageChars) : 1 + r.nextInt(Math.min(maxMessageChars, 60))));
    }

    private String attributes() {
        int n = rare() ? edge(maxAttributes) : r.nextInt(Math.min(maxAttributes, 4) + 1);
        List<String> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = rare() ? chars(rare() ? edge(MessageReader.MAX_NAME_CHARS) : r.nextInt(3))
                    : r.nextInt(4) == 0 ? "k" + r.nextInt(3) : name(8 + r.nextInt(50));
            String value = rare() ? wrong() : quoted(chars(rare() ? edge(MessageReader.MAX_ATTRIBUTE_VALUE_CHARS) : r.nextInt(20)));
            members.add(ws() + quoted(key) + ws() + ":" + ws() + value + ws());
        }
        return "{" + String.join(",", members) + "}";
    }

    /** A length at or around {@code limit} (or the JSON string limit, or 0). */
    private int edge(int limit) {
        int base = switch (r.nextInt(4)) {
            case 0 -> limit;
            case 1 -> Math.min(limit, maxStringChars);
            case 2 -> maxStringChars;
            default -> 0;
        };
        // a long edge (the production limits') seldom: it makes a packet of megabytes
        if (base > 10_000 && r.nextInt(20) != 0) {
            base = r.nextInt(20);
        }
        return Math.max(0, base - 1 + r.nextInt(3));
    }

    private String id() {
        if (!rare()) {
            return quoted(name(r.nextInt(30)) + "-" + r.nextInt(1000));
        }
        String[] odd = {"", " ", "a b", "a#1", "caf\u00e9", "\\u0061gent", "a\\u0000", "a\u007f", "\ud83d\ude00", "\\ud83d",
            "\\\"", "a\\/b", "\u00a0"};
        return r.nextBoolean() ? quoted(odd[r.nextInt(odd.length)]) : quoted(chars(edge(PacketParser.MAX_ID_CHARS)));
    }

    /** A string of about {@code units} UTF-16 units of every kind of character, escapes and raw bytes included. */
    private String chars(int units) {
        StringBuilder b = new StringBuilder();
        int n = 0;
        boolean plain = r.nextInt(3) > 0;
        while (n < units) {
            int kind = plain ? 0 : r.nextInt(rare() ? 16 : 12);
            n++;
            switch (kind) {
                case 0, 1, 2, 3 -> {
                    char c = (char) ('!' + r.nextInt(94));
                    b.append(c == '"' || c == '\\' ? 'a' : c);
                }
                case 4 -> b.append(' ');
                case 5 -> b.append(new String[] {"\\\"", "\\\\", "\\/", "\\n", "\\t", "\\b", "\\f", "\\r"}[r.nextInt(8)]);
                case 6 -> b.append(new String[] {"\\u00e9", "\\u00E9", "\\u0041", "\\u20ac", "\\u0000"}[r.nextInt(5)]);
                case 7 -> b.append(new char[] {'\u00e9', '\u20ac', '\u00a0', '\u2028', '\uffff', '\u0800'}[r.nextInt(6)]);
                case 8 -> {
                    b.append("\ud83d\ude00");
                    n++;
                }
                case 9 -> {
                    b.append("\\ud83d\\ude00");
                    n++;
                }
                case 10 -> b.append(r.nextBoolean() ? "\\ud83d" : "\\ude00");
                case 11 -> b.append('\u007f');
                case 12 -> b.append((char) r.nextInt(0x20));
                case 13 -> b.append((char) (BAD_FIRST + r.nextInt(BAD_BYTES.length)));
                case 14 -> b.append(new String[] {"\\x", "\\u12", "\\u12g4", "\\'", "\\U0041"}[r.nextInt(5)]);
                default -> b.append('\ud83d');
            }
        }
        // a backslash left last would escape the closing quote
        return b.length() > 0 && b.charAt(b.length() - 1) == '\\' ? b.append('\\').toString() : b.toString();
    }

    private String name(int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.max(1, length); i++) {
            b.append((char) ('a' + r.nextInt(26)));
        }
        return b.toString();
    }

    private String string(int length) {
        return quoted(name(length));
    }

    private String wrong() {
        return WRONG[r.nextInt(WRONG.length)];
    }

    private String member(String name, String value) {
        return ws() + quoted(rare() && rare() ? escapeFirst(name) : name) + ws() + ":" + ws() + value + ws();
    }

    private static String escapeFirst(String name) {
        return name.isEmpty() ? name : String.format("\\u%04x", (int) name.charAt(0)) + name.substring(1);
    }

    private String ws() {
        return rare() && rare() ? new String[] {"\f", "\u000b", "\u00a0", "/**/"}[r.nextInt(4)] : WHITESPACE[r.nextInt(WHITESPACE.length)];
    }

    private static String quoted(String content) {
        return "\"" + content + "\"";
    }

    private boolean rare() {
        return r.nextInt(rare) == 0;
    }

    /** UTF-8, with each stand-in replaced by its bytes that are not UTF-8 (a lone surrogate becomes '?'). */
    private static byte[] encode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 16);
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= BAD_FIRST && c < BAD_FIRST + BAD_BYTES.length) {
                out.writeBytes(text.substring(run, i).getBytes(StandardCharsets.UTF_8));
                out.writeBytes(BAD_BYTES[c - BAD_FIRST]);
                run = i + 1;
            }
        }
        out.writeBytes(text.substring(run).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
