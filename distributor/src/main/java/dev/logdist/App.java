package dev.logdist;

import dev.logdist.config.ConfigException;
import dev.logdist.config.DistributorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.main.Main;

/** Starts the distributor: settings from {@code application.properties}, overridden by the environment. */
public final class App {

    private App() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> overrides = DistributorConfig.environmentOverrides(System.getenv());
        Properties defaults = classpathProperties();
        try {
            DistributorConfig.from(key -> overrides.getOrDefault(key, defaults.getProperty(key)));
        } catch (ConfigException e) {
            System.err.println("distributor: invalid setting " + e.getMessage());
            System.exit(2);
        }
        // no package scan: every bean and route is built, with its dependencies, by DistributorConfiguration
        Main main = new Main();
        main.configure().addConfiguration(DistributorConfiguration.class);
        overrides.forEach(main::addOverrideProperty);
        // SIGTERM and SIGINT stop Camel gracefully (ingest answers 503, queues drain or spool) and then exit 0;
        // left to the JVM, a signal would end the process with 143 whatever the shutdown achieved
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> main.completed());
        }
        try {
            System.exit(main.run(args));
        } catch (Exception e) {
            // a setting that only proves wrong when used (DISTRIBUTOR_KAFKA_BOOTSTRAP with no Kafka there): one line too
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ConfigException config) {
                    System.err.println("distributor: cannot start: " + config.getMessage());
                    System.exit(2);
                }
            }
            throw e;
        }
    }

    private static Properties classpathProperties() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = App.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                properties.load(in);
            }
        }
        return properties;
    }
}
