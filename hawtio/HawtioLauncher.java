/**
 * Starts the hawtio standalone console. hawtio-embedded 3.0.0's Main.main() ignores its arguments, so this calls
 * Main.run(args), which honours --host and --port. Run by hawtio/run.sh as a single-file Java program.
 */
public final class HawtioLauncher {
    public static void main(String[] args) {
        io.hawt.embedded.Main.run(args);
    }
}
