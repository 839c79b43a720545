package dev.logdist.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JmeterResultsTest {

    private static final String HEADER = "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,"
            + "success,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect,\"msgs\"\n";

    @TempDir
    Path dir;

    @Test
    void should_count_only_accepted_packets_and_their_messages() throws IOException {
        Path csv = write(HEADER
                + "1000,4,POST /logs,202,Accepted,agents 1-1,text,true,142,900,8,8,http://127.0.0.1:8080/logs,4,0,0,7\n"
                + "1100,9,POST /logs,503,Service Unavailable,agents 1-2,text,false,142,900,8,8,http://127.0.0.1:8080/logs,9,0,0,30\n"
                + "1200,2,POST /logs,Non HTTP response code: java.net.ConnectException,\"Connect to 127.0.0.1:8080 failed, refused\","
                + "agents 1-3,text,false,0,0,8,8,http://127.0.0.1:8080/logs,0,0,2,5\n"
                + "2996,4,POST /logs,202,Accepted,agents 1-4,text,true,142,900,8,8,http://127.0.0.1:8080/logs,4,0,0,13\n");

        assertThat(JmeterResults.summarize(csv)).isEqualTo("{\"seconds\":2.0,\"packetsAccepted\":2,\"messagesAccepted\":20,"
                + "\"messagesPerSecond\":10,\"p50Ms\":4,\"p99Ms\":9,\"requests\":4,"
                + "\"statuses\":{\"202\":2,\"503\":1,\"connection error\":1}}");
    }

    @Test
    void should_skip_a_line_cut_short_when_jmeter_stopped() throws IOException {
        Path csv = write(HEADER
                + "1000,4,POST /logs,202,Accepted,agents 1-1,text,true,142,900,8,8,http://127.0.0.1:8080/logs,4,0,0,7\n"
                + "1100,9,POST /logs,202,Acc");

        assertThat(JmeterResults.summarize(csv)).contains("\"packetsAccepted\":1,\"messagesAccepted\":7");
    }

    @Test
    void should_split_quoted_fields_with_commas_and_doubled_quotes() {
        assertThat(JmeterResults.fields("a,\"b, \"\"c\"\"\",,d")).containsExactly("a", "b, \"c\"", "", "d");
    }

    @Test
    void should_name_the_missing_column_when_run_without_the_plan_properties() throws IOException {
        Path csv = write("timeStamp,elapsed,label,responseCode\n1000,4,POST /logs,202\n");

        assertThatThrownBy(() -> JmeterResults.summarize(csv)).hasMessageContaining("no column msgs")
                .hasMessageContaining("-q jmeter/load.properties");
    }

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("results.csv"), text);
    }
}
