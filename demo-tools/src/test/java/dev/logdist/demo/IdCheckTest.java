package dev.logdist.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdCheckTest {

    private static final String HEADER = "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,"
            + "success,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect,\"msgs\",\"agentId\",\"packetId\"\n";

    @TempDir
    Path dir;

    @Test
    void should_find_a_packet_lost_even_when_a_double_count_makes_the_totals_match() throws IOException {
        Path csv = results(row(1000, "202", 7, "jmeter-agent-1", "p1"), row(1001, "202", 7, "jmeter-agent-2", "p2"));
        // p2 never arrived, p1 reached two analyzers: 14 messages accepted, 14 counted
        List<IdCheck.Entry> a1 = IdCheck.journal(journal("a1", "7 jmeter-agent-1 p1\n"));
        List<IdCheck.Entry> a2 = IdCheck.journal(journal("a2", "7 jmeter-agent-1 p1\n"));

        IdCheck.Verdict v = IdCheck.judge(IdCheck.results(csv).accepted(), List.of(a1, a2));

        assertThat(v.acceptedMessages()).isEqualTo(14);
        assertThat(a1.get(0).messages() + a2.get(0).messages()).as("the totals match").isEqualTo(14);
        assertThat(v.lost()).containsExactly(new IdCheck.Sent("jmeter-agent-2", "p2", 7));
        assertThat(v.duplicates()).isEqualTo(1);
    }

    @Test
    void should_count_an_id_in_two_journals_as_one_duplicate_and_not_as_lost() throws IOException {
        Path csv = results(row(1000, "202", 3, "jmeter-agent-1", "p1"), row(1001, "202", 5, "jmeter-agent-1", "p2"));
        List<IdCheck.Entry> a1 = IdCheck.journal(journal("a1", "3 jmeter-agent-1 p1\n5 jmeter-agent-1 p2\n"));
        List<IdCheck.Entry> a2 = IdCheck.journal(journal("a2", "5 jmeter-agent-1 p2\n"));
        List<IdCheck.Entry> a3 = IdCheck.journal(journal("a3", ""));

        IdCheck.Verdict v = IdCheck.judge(IdCheck.results(csv).accepted(), List.of(a1, a2, a3));

        assertThat(v.lost()).isEmpty();
        assertThat(v.duplicates()).isEqualTo(1);
        assertThat(v.journaled()).isEqualTo(2);
        assertThat(v.unacknowledged()).isZero();
    }

    @Test
    void should_ignore_a_torn_last_line_so_its_packet_is_lost() throws IOException {
        Path csv = results(row(1000, "202", 3, "jmeter-agent-1", "p1"), row(1001, "202", 4, "jmeter-agent-1", "p2"));
        List<IdCheck.Entry> a1 = IdCheck.journal(journal("a1", "3 jmeter-agent-1 p1\n4 jmeter-agent-1 p2"));

        assertThat(a1).containsExactly(new IdCheck.Entry("jmeter-agent-1", "p1", 3));
        assertThat(IdCheck.judge(IdCheck.results(csv).accepted(), List.of(a1)).lost())
                .extracting(IdCheck.Sent::packetId).containsExactly("p2");
    }

    @Test
    void should_take_only_the_samples_answered_202_and_keep_the_connection_failures_apart() throws IOException {
        Path csv = results(row(1000, "202", 3, "jmeter-agent-1", "p1"),
                row(1100, "503", 9, "jmeter-agent-2", "p2"),
                row(1200, "Non HTTP response code: org.apache.http.conn.HttpHostConnectException", 4, "jmeter-agent-3", "p3"),
                row(1300, "Non HTTP response code: org.apache.http.NoHttpResponseException", 4, "jmeter-agent-4", "p4"),
                row(1400, "400", 4, "jmeter-agent-5", "p5"),
                "1500,4,POST /logs,202,Acc"); // cut short when JMeter stopped

        IdCheck.Results r = IdCheck.results(csv);

        assertThat(r.accepted()).containsExactly(new IdCheck.Sent("jmeter-agent-1", "p1", 3));
        assertThat(r.connectionFailures()).containsExactly(new IdCheck.Failed(1200, 1202), new IdCheck.Failed(1300, 1302));
        // the packets that were not answered 202 are not expected anywhere
        assertThat(IdCheck.judge(r.accepted(), List.of(IdCheck.journal(journal("a1", "3 jmeter-agent-1 p1\n")))).lost())
                .isEmpty();
    }

    @Test
    void should_count_a_journaled_packet_without_a_202_as_unacknowledged_not_lost() throws IOException {
        Path csv = results(row(1000, "202", 3, "jmeter-agent-1", "p1"),
                row(1100, "Non HTTP response code: java.net.SocketException", 2, "jmeter-agent-1", "p2"));
        List<IdCheck.Entry> a1 = IdCheck.journal(journal("a1", "3 jmeter-agent-1 p1\n2 jmeter-agent-1 p2\n"));

        IdCheck.Verdict v = IdCheck.judge(IdCheck.results(csv).accepted(), List.of(a1));

        assertThat(v.lost()).isEmpty();
        assertThat(v.unacknowledged()).isEqualTo(1);
    }

    @Test
    void should_take_a_packet_as_delivered_only_when_all_its_chunks_are_in_journals() throws IOException {
        Path csv = results(row(1000, "202", 900, "agent", "whole"), row(1001, "202", 900, "agent", "part"));
        List<IdCheck.Entry> a1 = IdCheck.journal(journal("a1", "500 agent whole#0\n500 agent part#0\n"));
        List<IdCheck.Entry> a2 = IdCheck.journal(journal("a2", "400 agent whole#1\n"));

        assertThat(IdCheck.judge(IdCheck.results(csv).accepted(), List.of(a1, a2)).lost())
                .extracting(IdCheck.Sent::packetId).containsExactly("part");
    }

    @Test
    void should_match_a_journal_line_without_an_agent_id_by_packet_id() throws IOException {
        Path csv = results(row(1000, "202", 3, "jmeter-agent-1", "p1"));
        List<IdCheck.Entry> a1 = IdCheck.journal(journal("a1", "3 p1\n"));

        assertThat(IdCheck.judge(IdCheck.results(csv).accepted(), List.of(a1)).lost()).isEmpty();
    }

    @Test
    void should_not_match_the_same_packet_id_of_another_agent() throws IOException {
        Path csv = results(row(1000, "202", 3, "jmeter-agent-1", "p1"));
        List<IdCheck.Entry> a1 = IdCheck.journal(journal("a1", "3 jmeter-agent-2 p1\n"));

        IdCheck.Verdict v = IdCheck.judge(IdCheck.results(csv).accepted(), List.of(a1));

        assertThat(v.lost()).hasSize(1);
        assertThat(v.unacknowledged()).isEqualTo(1);
    }

    @Test
    void should_name_the_missing_id_columns_when_the_plan_did_not_record_them() throws IOException {
        Path csv = Files.writeString(dir.resolve("old.csv"), "timeStamp,elapsed,label,responseCode,\"msgs\"\n1000,4,POST /logs,202,7\n");

        assertThatThrownBy(() -> IdCheck.results(csv)).hasMessageContaining("no column agentId")
                .hasMessageContaining("-q jmeter/load.properties");
    }

    @Test
    void should_bucket_jmeter_response_codes() {
        assertThat(JmeterResults.status("202")).isEqualTo("202");
        assertThat(JmeterResults.status("Non HTTP response code: org.apache.http.conn.HttpHostConnectException"))
                .isEqualTo("connection error");
        assertThat(JmeterResults.status("Non HTTP response code: org.apache.http.NoHttpResponseException"))
                .isEqualTo("connection error");
        assertThat(JmeterResults.status("Non HTTP response code: java.net.SocketException")).isEqualTo("connection error");
        assertThat(JmeterResults.status("Non HTTP response code: java.net.NoRouteToHostException")).isEqualTo("connection error");
        assertThat(JmeterResults.status("Non HTTP response code: org.apache.http.conn.ConnectTimeoutException"))
                .isEqualTo("connection error");
        assertThat(JmeterResults.status("Non HTTP response code: java.net.UnknownHostException")).isEqualTo("connection error");
        assertThat(JmeterResults.status("Non HTTP response code: java.net.SocketTimeoutException"))
                .isEqualTo("non-HTTP SocketTimeoutException");
    }

    private static String row(long time, String code, int msgs, String agent, String packet) {
        return time + ",2,POST /logs," + code + ",msg,agents 1-1,text,true,142,900,8,8,http://127.0.0.1:8080/logs,2,0,0,"
                + msgs + "," + agent + "," + packet;
    }

    private Path results(String... rows) throws IOException {
        return Files.writeString(dir.resolve("results.csv"), HEADER + String.join("\n", rows) + "\n");
    }

    private Path journal(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name + ".journal"), text);
    }
}
