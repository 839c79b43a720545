package dev.logdist.model;

import java.util.List;

/**
 * A validated packet: its messages, plus the JSON text it arrived as ({@code json}, decompressed), which is
 * forwarded as it is when the packet needs no splitting. {@code packetId} is null when the agent sent none;
 * {@code packetIdField} tells whether the JSON has the field at all (it may be an explicit null).
 */
public record LogPacket(String agentId, String packetId, boolean packetIdField, List<LogMessage> messages, byte[] json) {
}
