package dev.logdist.analyzer;

import java.util.List;

/**
 * How the analyzer has been told to behave: normally, failing (500) or refusing (400) every packet or only packets of
 * one id or agent, slowly, answering slowly byte by byte, never answering, or with a chosen status.
 */
record Misbehaviour(Mode mode, long delayMs, int status, String agentId, String packetId) {

    enum Mode {
        /** Counts and answers 200. */
        OK,
        /** Answers 500 and counts nothing. */
        ERROR,
        /** Waits {@code delayMs}, then handles the request normally. */
        SLOW,
        /** Answers 400 and counts nothing: to every request, or to those holding the targeted agent or packet. */
        REJECT,
        /**
         * Counts and journals the packets first, as an analyzer that took the data but is slow to say so, then sends
         * the status line and headers at once and the body one byte every {@code delayMs}.
         */
        TRICKLE,
        /** Reads the request and never answers, keeping the connection open without a byte; counts nothing. */
        HANG,
        /** Answers {@code status} with a small JSON body after {@code delayMs} and counts nothing. */
        STATUS
    }

    static final Misbehaviour NONE = new Misbehaviour(Mode.OK, 0, 0, null, null);

    Misbehaviour(Mode mode, long delayMs) {
        this(mode, delayMs, 0, null, null);
    }

    /** Whether only some packets are refused: {@link Mode#REJECT} with a packet id or an agent id. */
    boolean targeted() {
        return agentId != null || packetId != null;
    }

    /**
     * The first packet of {@code request} that a targeted rejection refuses, or null: its agent id is the one given,
     * and its id the one given or a chunk of it ({@code <packetId>#<k>}); both when both are given.
     */
    PacketScanner.Seen target(List<PacketScanner.Seen> request) {
        for (PacketScanner.Seen p : request) {
            boolean agent = agentId == null || agentId.equals(p.agentId());
            boolean id = packetId == null || packetId.equals(p.packetId())
                    || (p.packetId() != null && p.packetId().startsWith(packetId + "#"));
            if (agent && id) {
                return p;
            }
        }
        return null;
    }
}
