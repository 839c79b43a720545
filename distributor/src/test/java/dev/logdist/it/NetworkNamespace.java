package dev.logdist.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace of the test's own, joined to the host by a veth pair in a private /30 (10.254.N.0/30: the host
 * end is .1, the namespace end .2), whose traffic the test can drop with iptables inside the namespace, as a network
 * partition does: packets vanish, nothing is refused. Only ever touches the namespace, the veth pair and the
 * addresses it made; {@link #close()} removes them.
 */
final class NetworkNamespace implements AutoCloseable {

    final String name;
    final String hostAddress;
    final String address;
    private final String hostLink;
    private final String link;
    private boolean dropping;

    private NetworkNamespace(String name, String hostLink, String link, String hostAddress, String address) {
        this.name = name;
        this.hostLink = hostLink;
        this.link = link;
        this.hostAddress = hostAddress;
        this.address = address;
    }

    /**
     * Makes the namespace and its veth pair, or skips the test (a JUnit assumption) when this machine does not permit
     * {@code ip netns} or lacks iptables.
     */
    static NetworkNamespace create() throws Exception {
        Assumptions.assumeTrue(run("ip", "-V").ok(), "needs iproute2 (apt-get install -y iproute2)");
        Assumptions.assumeTrue(run("iptables", "--version").ok(), "needs iptables (apt-get install -y iptables)");
        long tag = ProcessHandle.current().pid() % 100_000;
        String name = "logdist-hang-" + tag;
        Result made = run("ip", "netns", "add", name);
        Assumptions.assumeTrue(made.ok(), () -> "ip netns is not permitted here: " + made.output);
        // a /30 no address or route of this host is in already: the test only ever uses addresses it made
        String addresses = run("ip", "-4", "-o", "addr", "show").output + run("ip", "-4", "route", "show").output;
        int subnet = -1;
        for (int i = 0; i < 64 && subnet < 0; i++) {
            int candidate = (int) ((tag + 37L * i) % 250) + 1;
            if (!addresses.contains("10.254." + candidate + ".")) {
                subnet = candidate;
            }
        }
        if (subnet < 0) {
            run("ip", "netns", "del", name);
            Assumptions.abort("no free 10.254.N.0/30 for the test's veth pair");
        }
        NetworkNamespace ns = new NetworkNamespace(name, "lhv" + tag + "h", "lhv" + tag + "n",
                "10.254." + subnet + ".1", "10.254." + subnet + ".2");
        try {
            ns.must("ip", "link", "add", ns.hostLink, "type", "veth", "peer", "name", ns.link);
            ns.must("ip", "link", "set", ns.link, "netns", name);
            ns.must("ip", "addr", "add", ns.hostAddress + "/30", "dev", ns.hostLink);
            ns.must("ip", "link", "set", ns.hostLink, "up");
            ns.inside("ip", "addr", "add", ns.address + "/30", "dev", ns.link);
            ns.inside("ip", "link", "set", ns.link, "up");
            ns.inside("ip", "link", "set", "lo", "up");
        } catch (Exception | AssertionError e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** The command line that runs {@code command} inside the namespace. */
    List<String> exec(String... command) {
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", name));
        line.addAll(List.of(command));
        return line;
    }

    /** Silently drops every packet in and out of the namespace: its peers see no answer, no refusal, no reset. */
    void partition() throws Exception {
        inside("iptables", "-I", "INPUT", "1", "-j", "DROP");
        inside("iptables", "-I", "OUTPUT", "1", "-j", "DROP");
        dropping = true;
    }

    /**
     * Silently drops the namespace's TCP traffic with {@code address} on each of {@code ports} (as the destination going
     * out, as the source coming in): a route lost to those servers only, everything else still flows.
     */
    void cutFrom(String address, int... ports) throws Exception {
        for (int port : ports) {
            inside("iptables", "-I", "OUTPUT", "1", "-p", "tcp", "-d", address, "--dport", String.valueOf(port), "-j", "DROP");
            inside("iptables", "-I", "INPUT", "1", "-p", "tcp", "-s", address, "--sport", String.valueOf(port), "-j", "DROP");
        }
    }

    /** Lifts {@link #cutFrom}. */
    void reconnect(String address, int... ports) throws Exception {
        for (int port : ports) {
            inside("iptables", "-D", "OUTPUT", "-p", "tcp", "-d", address, "--dport", String.valueOf(port), "-j", "DROP");
            inside("iptables", "-D", "INPUT", "-p", "tcp", "-s", address, "--sport", String.valueOf(port), "-j", "DROP");
        }
    }

    /** Lifts {@link #partition()}. */
    void heal() throws Exception {
        if (dropping) {
            inside("iptables", "-D", "INPUT", "-j", "DROP");
            inside("iptables", "-D", "OUTPUT", "-j", "DROP");
            dropping = false;
        }
    }

    /** Removes the namespace (and with it both ends of the veth pair); safe to call twice. */
    @Override
    public void close() throws Exception {
        run("ip", "netns", "del", name);
        if (run("ip", "link", "show", hostLink).ok()) {
            run("ip", "link", "del", hostLink);
        }
    }

    private void inside(String... command) throws Exception {
        must(exec(command).toArray(String[]::new));
    }

    private void must(String... command) throws Exception {
        Result r = run(command);
        if (!r.ok()) {
            throw new AssertionError(String.join(" ", command) + " failed: " + r.output);
        }
    }

    record Result(int status, String output) {
        boolean ok() {
            return status == 0;
        }
    }

    /** Runs a command to its end, at most 20 s; its output goes through a file, so a full pipe cannot stall it. */
    static Result run(String... command) throws IOException, InterruptedException {
        java.nio.file.Path out = java.nio.file.Files.createTempFile("netns-cmd", ".out");
        try {
            Process p;
            try {
                p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            } catch (IOException missing) {
                return new Result(127, missing.getMessage());
            }
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, String.join(" ", command) + ": no end within 20 s");
            }
            return new Result(p.exitValue(), java.nio.file.Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            java.nio.file.Files.deleteIfExists(out);
        }
    }
}
