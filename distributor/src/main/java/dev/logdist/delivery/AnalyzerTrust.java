package dev.logdist.delivery;

import dev.logdist.config.ConfigException;
import dev.logdist.config.DistributorConfig;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.TrustManagerFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * Makes {@code https://} analyzers trusted by exactly the certificates of {@code distributor.tls.trust-file} (a
 * private CA or the analyzers' own self-signed certificates) instead of the JVM's public CAs; host names are still
 * checked against the certificates.
 */
public final class AnalyzerTrust {

    private AnalyzerTrust() {
    }

    /** Gives Camel's {@code https} component an SSL context that trusts the PEM certificates in {@code pemFile}. */
    public static void apply(CamelContext context, Path pemFile) {
        SSLContextParameters ssl = new SSLContextParameters();
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setTrustManager(trustManagerFor(pemFile).getTrustManagers()[0]);
        ssl.setTrustManagers(trust);
        context.getComponent("https", HttpComponent.class).setSslContextParameters(ssl);
    }

    static TrustManagerFactory trustManagerFor(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new ConfigException(DistributorConfig.TLS_TRUST_FILE.label() + ": no certificate in '" + pemFile + "'");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int n = 0;
            for (Certificate c : certificates) {
                store.setCertificateEntry("analyzer-trust-" + n++, c);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigException(DistributorConfig.TLS_TRUST_FILE.label() + ": cannot read the certificates in '"
                    + pemFile + "': " + e.getMessage());
        }
    }
}
