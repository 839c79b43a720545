package dev.logdist.analyzer;

/** How the analyzer has been told to behave: normally, failing every packet, or slowly. */
record Misbehaviour(Mode mode, long delayMs) {

    enum Mode { OK, ERROR, SLOW }

    static final Misbehaviour NONE = new Misbehaviour(Mode.OK, 0);
}
