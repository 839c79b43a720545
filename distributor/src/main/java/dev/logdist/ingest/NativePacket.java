package dev.logdist.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.logdist.validation.Refusal;
import dev.logdist.validation.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    private static final JsonFactory JSON = new JsonFactory();

    private final ByteArrayBuilder bytes = new ByteArrayBuilder(4096);
    private final JsonGenerator out;
    private final List<Refusal> refused = new ArrayList<>(0);
    private int[] itemOfMessage = new int[16];
    private int messages;
    private int items;

    private NativePacket(String agentId, String packetId) {
        try {
            out = JSON.createGenerator(bytes);
            out.writeStartObject();
            out.writeStringField("agentId", agentId);
            if (packetId != null) {
                out.writeStringField("packetId", packetId);
            }
            out.writeArrayFieldStart("messages");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        try {
            out.writeStartObject();
            field("timestamp", timestamp);
            field("level", level);
            field("message", message);
            field("source", source);
            field("service", service);
            if (attributes != null && !attributes.isEmpty()) {
                out.writeObjectFieldStart("attributes");
                for (Map.Entry<String, String> a : attributes.entrySet()) {
                    out.writeStringField(a.getKey(), a.getValue());
                }
                out.writeEndObject();
            }
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (messages == itemOfMessage.length) {
            itemOfMessage = Arrays.copyOf(itemOfMessage, 2 * messages);
        }
        itemOfMessage[messages++] = item;
        items = Math.max(items, item + 1);
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
        try {
            out.writeEndArray();
            out.writeEndObject();
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Translation(bytes.toByteArray(), Arrays.copyOf(itemOfMessage, messages), List.copyOf(refused), items);
    }

    private void field(String name, String value) throws IOException {
        if (value != null) {
            out.writeStringField(name, value);
        }
    }
}
