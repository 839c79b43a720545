package dev.logdist.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The settings of issue #8: shipped defaults, environment overrides and one-line errors naming the setting. */
class SecuritySettingsTest {

    private Map<String, String> settings;

    @BeforeEach
    void shipped_defaults() throws Exception {
        settings = ShippedSettings.load();
    }

    private DistributorConfig load() {
        return DistributorConfig.from(settings::get);
    }

    @Test
    void should_ship_a_default_for_every_limit() {
        DistributorConfig.Security s = load().security();
        assertThat(s.maxJsonDepth()).isEqualTo(32);
        assertThat(s.maxJsonStringChars()).isEqualTo(131_072);
        assertThat(s.maxHeaderBytes()).isEqualTo(8192);
        assertThat(s.maxInitialLineBytes()).isEqualTo(4096);
        assertThat(s.idleTimeoutSeconds()).isEqualTo(60);
        assertThat(s.bodyTimeoutMs()).isEqualTo(30_000);
        assertThat(s.maxConnections()).isEqualTo(4096);
    }

    @Test
    void should_take_each_limit_from_its_environment_variable() {
        settings.putAll(DistributorConfig.environmentOverrides(Map.of(
                "DISTRIBUTOR_MAX_JSON_DEPTH", "8", "DISTRIBUTOR_MAX_JSON_STRING_CHARS", "70000",
                "DISTRIBUTOR_MAX_HEADER_BYTES", "4096", "DISTRIBUTOR_MAX_INITIAL_LINE_BYTES", "1024",
                "DISTRIBUTOR_IDLE_TIMEOUT_SECONDS", "0", "DISTRIBUTOR_BODY_TIMEOUT_MS", "1500",
                "DISTRIBUTOR_MAX_CONNECTIONS", "40")));
        assertThat(load().security()).isEqualTo(new DistributorConfig.Security(8, 70_000, 4096, 1024, 0, 1500, 40, false,
                java.util.Optional.empty(), java.util.Optional.empty()));
    }

    @Test
    void should_refuse_a_string_limit_below_the_longest_message_allowed() {
        settings.put("distributor.max-json-string-chars", "1000");
        assertThatThrownBy(this::load).hasMessage("DISTRIBUTOR_MAX_JSON_STRING_CHARS (distributor.max-json-string-chars): "
                + "must be a whole number from 65536 to 1073741824, got '1000'");
    }

    @Test
    void should_protect_reads_only_with_a_token_to_protect_them_with() {
        assertThat(load().security().protectReads()).isFalse();
        settings.putAll(DistributorConfig.environmentOverrides(Map.of("DISTRIBUTOR_AUTH_PROTECT_READS", "true")));
        assertThatThrownBy(this::load).hasMessage("DISTRIBUTOR_AUTH_PROTECT_READS (distributor.auth.protect-reads): "
                + "needs DISTRIBUTOR_TOKEN (distributor.token) to be set");
        settings.put("distributor.token", "t0ken");
        assertThat(load().security().protectReads()).isTrue();
        settings.put("distributor.auth.protect-reads", "yes");
        assertThatThrownBy(this::load).hasMessage("DISTRIBUTOR_AUTH_PROTECT_READS (distributor.auth.protect-reads): "
                + "must be true or false, got 'yes'");
    }

    @Test
    void should_want_both_tls_files_and_pem_in_them() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("tls-settings");
        java.nio.file.Path cert = java.nio.file.Files.writeString(dir.resolve("cert.pem"),
                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        java.nio.file.Path notPem = java.nio.file.Files.writeString(dir.resolve("key.txt"), "secret");
        settings.put("distributor.tls.cert-file", cert.toString());
        assertThatThrownBy(this::load).hasMessage("DISTRIBUTOR_TLS_KEY_FILE (distributor.tls.key-file): must be set too when "
                + "DISTRIBUTOR_TLS_CERT_FILE (distributor.tls.cert-file) is");
        settings.put("distributor.tls.key-file", notPem.toString());
        assertThatThrownBy(this::load).hasMessage("DISTRIBUTOR_TLS_KEY_FILE (distributor.tls.key-file): '" + notPem
                + "' is not a PEM file with a PRIVATE KEY");
        settings.put("distributor.tls.key-file", dir.resolve("missing.pem").toString());
        assertThatThrownBy(this::load).hasMessage("DISTRIBUTOR_TLS_KEY_FILE (distributor.tls.key-file): cannot read '"
                + dir.resolve("missing.pem") + "': NoSuchFileException");
    }

    @Test
    void should_want_certificates_in_the_analyzer_trust_file() throws Exception {
        java.nio.file.Path key = java.nio.file.Files.writeString(java.nio.file.Files.createTempFile("trust", ".pem"),
                "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
        settings.put("distributor.tls.trust-file", key.toString());
        assertThatThrownBy(this::load).hasMessage("DISTRIBUTOR_TLS_TRUST_FILE (distributor.tls.trust-file): '" + key
                + "' is not a PEM file with a CERTIFICATE");
    }

    @Test
    void should_refuse_a_depth_too_shallow_for_a_packet() {
        settings.put("distributor.max-json-depth", "3");
        assertThatThrownBy(this::load).hasMessage("DISTRIBUTOR_MAX_JSON_DEPTH (distributor.max-json-depth): "
                + "must be a whole number from 4 to 1000, got '3'");
    }
}
