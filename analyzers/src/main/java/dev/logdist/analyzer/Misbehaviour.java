package dev.logdist.analyzer;

/** How the analyzer has been told to behave: normally, failing (500) or refusing (400) every packet, or slowly. */
record Misbehaviour(Mode mode, long delayMs) {

    enum Mode { OK, ERROR, SLOW, REJECT }

    static final Misbehaviour NONE = new Misbehaviour(Mode.OK, 0);
}
