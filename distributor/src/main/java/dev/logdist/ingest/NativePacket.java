package dev.logdist.ingest;

import dev.logdist.validation.Refusal;
import dev.logdist.validation.Violation;
import dev.logdist.validation.WrittenMessages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes a packet in the native schema from the items of another protocol (OTLP log records, bulk documents, JSON
 * lines), so that every protocol meets the same validation, balancing, journal and delivery: a message is a message,
 * whatever it came in as. Each message remembers the item it was made from; an item that cannot become a message at
 * all is refused here, by its index, and the validator refuses the rest ({@link Translation#refusedItems}).
 */
public final class NativePacket {

    private static final int FIRST_ATTRIBUTE_SLOT = 9;

    private final JsonBytes out = new JsonBytes(4096);
    private final List<Refusal> refused = new ArrayList<>(0);
    private int[] itemOfMessage = new int[16];
    private final WrittenMessages written = new WrittenMessages();
    private int messages;
    private int items;
    private boolean inAttributes;
    /** How many attributes the current message has so far. */
    private int attributes;

    private NativePacket(String agentId, String packetId) {
        out.startObject();
        out.field("agentId", agentId);
        if (packetId != null) {
            out.field("packetId", packetId);
        }
        out.name("messages");
        out.startArray();
    }

    /** A packet of agent {@code agentId}, with {@code packetId} when the protocol names one (else null: assigned). */
    public static NativePacket of(String agentId, String packetId) {
        return new NativePacket(agentId, packetId);
    }

    /**
     * The message made from item {@code item}. Null fields are left out (the validator names a missing required
     * one); {@code attributes} may be empty.
     */
    public NativePacket message(int item, String timestamp, String level, String message, String source, String service,
                                Map<String, String> attributes) {
        startMessage(item, timestamp, level, message, source, service);
        if (attributes != null) {
            for (Map.Entry<String, String> a : attributes.entrySet()) {
                attribute(a.getKey(), a.getValue());
            }
        }
        return endMessage();
    }

    /**
     * The message made from item {@code item}, as {@link #message} writes it, whose attributes follow one by one
     * ({@link #attribute}) until {@link #endMessage}: for a writer that has them at hand rather than in a map.
     */
    public NativePacket startMessage(int item, String timestamp, String level, String message, String source,
                                     String service) {
        out.startObject();
        written.message(out.size() - 1, timestamp, level, message, source, service);
        if (timestamp != null) {
            out.name(0, "timestamp");
            out.value(timestamp);
        }
        field(1, "level", 2, level);
        if (message != null) {
            out.name(3, "message");
            out.value(message);
        }
        field(4, "source", 5, source);
        field(6, "service", 7, service);
        if (messages == itemOfMessage.length) {
            itemOfMessage = Arrays.copyOf(itemOfMessage, 2 * messages);
        }
        itemOfMessage[messages++] = item;
        items = Math.max(items, item + 1);
        return this;
    }

    /** The next attribute of the message started last; its name must not be one it already has. */
    public NativePacket attribute(String name, String value) {
        if (!inAttributes) {
            out.name(8, "attributes");
            out.startObject();
            inAttributes = true;
            attributes = 0;
        }
        if (value == null) {
            out.field(name, null);
        } else {
            // an attribute's name and value in slots by its place in the message: the same as the last message's often
            int slot = FIRST_ATTRIBUTE_SLOT + 2 * attributes++;
            out.field(slot, name, slot + 1, value);
        }
        written.attribute(name, value);
        return this;
    }

    /** Ends the message started last. */
    public NativePacket endMessage() {
        if (inAttributes) {
            out.endObject();
            inAttributes = false;
        }
        out.endObject();
        written.end(out.size());
        return this;
    }

    /** Item {@code item} cannot become a message: {@code path} (the protocol's own) and {@code problem} say why. */
    public NativePacket refuse(int item, String path, String problem) {
        refused.add(new Refusal(item, List.of(new Violation(path, problem))));
        items = Math.max(items, item + 1);
        return this;
    }

    /** How many messages were written so far. */
    public int messages() {
        return messages;
    }

    /** The packet's JSON and what maps its messages back to items. */
    public Translation finish() {
        out.endArray();
        out.endObject();
        return new Translation(out.toByteArray(), Arrays.copyOf(itemOfMessage, messages), List.copyOf(refused), items);
    }

    /**
     * What the messages written so far are known to be, and where each lies in the packet's JSON: for
     * {@code PacketParser.written}, which needs not read again a packet whose messages are all known valid.
     */
    public WrittenMessages written() {
        return written;
    }

    private void field(int nameSlot, String name, int valueSlot, String value) {
        if (value != null) {
            out.field(nameSlot, name, valueSlot, value);
        }
    }
}
