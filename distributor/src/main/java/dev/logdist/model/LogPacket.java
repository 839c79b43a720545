package dev.logdist.model;

/**
 * A validated packet: the JSON text it arrived as ({@code json}, decompressed), forwarded as it is when the packet
 * needs no splitting, and where each message's JSON object lies in it ({@code messageBounds}: start and end offset of
 * each, end exclusive), from which the parts of a split packet are cut. {@code packetId} is null when the agent sent
 * none; {@code packetIdField} tells whether the JSON has the field at all (it may be an explicit null).
 * {@code complete} is false when messages of the JSON were refused and left out of the bounds: such a packet is
 * never forwarded as it arrived, only cut from its bounds.
 */
public record LogPacket(String agentId, String packetId, boolean packetIdField, int[] messageBounds, byte[] json,
                        boolean complete) {

    public LogPacket(String agentId, String packetId, boolean packetIdField, int[] messageBounds, byte[] json) {
        this(agentId, packetId, packetIdField, messageBounds, json, true);
    }

    public int messageCount() {
        return messageBounds.length / 2;
    }
}
