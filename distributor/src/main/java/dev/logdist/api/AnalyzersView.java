package dev.logdist.api;

import dev.logdist.balancer.MessageLedger;
import dev.logdist.balancer.ProtocolShares;
import dev.logdist.balancer.WeightTable;
import dev.logdist.buffer.Buffer;
import dev.logdist.config.AnalyzerSpec;
import dev.logdist.delivery.AnalyzerErrors;
import dev.logdist.delivery.AnalyzerHealth;
import dev.logdist.delivery.DeliveryStats;
import dev.logdist.delivery.RecentDeliveries;
import dev.logdist.delivery.RejectedParking;
import dev.logdist.http.JsonErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Answers {@code GET /analyzers}: per analyzer its weight, target and actual share of messages (since start and over
 * the last minute, with the last minute's messages per second), state and counters,
 * the chunks parked for it and why its last failed request failed.
 */
public final class AnalyzersView {

    private final List<AnalyzerSpec> analyzers;
    private final MessageLedger ledger;
    private final DeliveryStats stats;
    private final AnalyzerHealth health;
    private final Buffer buffer;
    private final RejectedParking parking;
    private final AnalyzerErrors errors;
    private final ProtocolShares protocols;

    public AnalyzersView(List<AnalyzerSpec> analyzers, MessageLedger ledger, DeliveryStats stats, AnalyzerHealth health,
                         Buffer buffer, RejectedParking parking, AnalyzerErrors errors) {
        this(analyzers, ledger, stats, health, buffer, parking, errors, new ProtocolShares(analyzers.size()));
    }

    /** {@code protocols}: each analyzer's messages by the protocol they came in as ({@code messagesByProtocol}). */
    public AnalyzersView(List<AnalyzerSpec> analyzers, MessageLedger ledger, DeliveryStats stats, AnalyzerHealth health,
                         Buffer buffer, RejectedParking parking, AnalyzerErrors errors, ProtocolShares protocols) {
        this.protocols = protocols;
        this.analyzers = List.copyOf(analyzers);
        this.ledger = ledger;
        this.stats = stats;
        this.health = health;
        this.buffer = buffer;
        this.parking = parking;
        this.errors = errors;
    }

    public void answer(Exchange exchange) {
        JsonErrors.answerJson(exchange, 200, JsonErrors.json(snapshot()));
    }

    List<Map<String, Object>> snapshot() {
        WeightTable table = ledger.table();
        long total = stats.totalMessages();
        RecentDeliveries.Window recent = stats.recent();
        List<Map<String, Object>> list = new ArrayList<>(analyzers.size());
        for (int i = 0; i < analyzers.size(); i++) {
            DeliveryStats.Counters c = stats.of(i);
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("name", analyzers.get(i).name());
            a.put("url", analyzers.get(i).url().toString());
            a.put("weight", table.weights()[i]);
            a.put("targetShare", table.share(i));
            a.put("actualShare", total == 0 ? 0.0 : (double) c.messages() / total);
            a.put("recentShare", recent.share(i));
            a.put("recentMessagesPerSecond", recent.perSecond(i));
            a.put("state", health.state(i).name());
            a.put("messagesDelivered", c.messages());
            a.put("packetsDelivered", c.packets());
            a.put("queued", buffer.queued(i));
            a.putAll(buffer.details(i));
            a.put("spooled", buffer.spooled(i));
            a.put("failures", c.failures());
            a.put("rejected", c.rejected());
            a.put("parked", parking.count(analyzers.get(i).name()));
            AnalyzerErrors.LastError last = errors.last(i);
            a.put("lastError", last == null ? null : last.reason());
            a.put("lastErrorAt", last == null ? null : last.at().toString());
            a.put("rerouted", c.rerouted());
            a.put("lost", c.lost());
            a.put("messagesByProtocol", protocols.of(i));
            list.add(a);
        }
        return list;
    }
}
