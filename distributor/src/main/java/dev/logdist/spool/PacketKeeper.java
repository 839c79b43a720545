package dev.logdist.spool;

import dev.logdist.buffer.Buffer;
import dev.logdist.delivery.AnalyzerQueues;
import dev.logdist.delivery.NoRoomException;
import dev.logdist.model.Chunk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes ahead: the ingest route's {@code keep-packet} step. On a thread of its own, never an event loop, it appends
 * the chunks of every packet that waits to their analyzers' journals, all of a packet or none (one append per journal
 * for all the packets that queued up meanwhile), then hands them to the memory queues, and lets the route answer 202
 * once the records reached the OS ({@code write}) or a shared fsync covers them ({@code fsync}). A packet that cannot
 * be kept whole is refused with 503 and what was written of it is marked done. Chunks that do not fit their memory
 * queue stay on disk only, for the replay. Moves of a chunk to another analyzer (failover) go through it too.
 */
final class PacketKeeper extends AsyncProcessorSupport {

    private static final Logger LOG = LoggerFactory.getLogger(PacketKeeper.class);
    /** How many waiting requests one round takes: enough to make one write of a burst, few enough to answer soon. */
    private static final int MAX_ROUND = 1024;
    private static final long IDLE_POLL_MS = 100;

    private final Journals journals;
    private final AnalyzerQueues queues;
    private final InMemory inMemory;
    private final boolean refuseOverflow;
    private final BlockingQueue<Request> requests;
    private final Thread thread;
    private volatile boolean running = true;

    /** A packet to keep ({@code exchange} set), or a chunk to move from one analyzer to another ({@code moved} set). */
    private record Request(List<Chunk> chunks, int[] analyzers, Exchange exchange, AsyncCallback callback,
                           int from, CompletableFuture<Boolean> moved) {
    }

    /**
     * {@code refuseOverflow}: a packet a memory queue has no room for is refused (503, so that the agent's re-send is
     * balanced afresh: the failover policy) instead of waiting on disk for the replay (hold).
     */
    PacketKeeper(Journals journals, AnalyzerQueues queues, InMemory inMemory, int maxWaiting, boolean refuseOverflow) {
        this.journals = journals;
        this.queues = queues;
        this.inMemory = inMemory;
        this.refuseOverflow = refuseOverflow;
        this.requests = new LinkedBlockingQueue<>(maxWaiting);
        this.thread = new Thread(this::run, "packet-keeper");
        thread.setDaemon(true);
    }

    @Override
    protected void doStart() {
        thread.start();
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(10));
        for (Request r; (r = requests.poll()) != null; ) {
            refuse(r, "the distributor is stopping");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Object body = exchange.getMessage().getBody();
        List<Chunk> chunks = body instanceof Chunk one ? List.of(one) : (List<Chunk>) body;
        if (chunks.isEmpty()) { // a packet acknowledged again: nothing to keep
            callback.done(true);
            return true;
        }
        int[] analyzers = exchange.getProperty(Buffer.ASSIGNMENT, int[].class);
        if (!running || !requests.offer(new Request(chunks, analyzers, exchange, callback, -1, null))) {
            exchange.setException(new NoRoomException(running ? "too many packets wait to be written" : "stopping"));
            callback.done(true);
            return true;
        }
        return false;
    }

    /**
     * Moves a chunk that analyzer {@code from} could not take to analyzer {@code to}: written to {@code to}'s journal,
     * queued for it when there is room, then done in {@code from}'s. Waits for the keeper; false when it could not.
     */
    boolean move(int from, int to, Chunk chunk) {
        return handOver(from, to, chunk);
    }

    /** Keeps a chunk handed back (a redrive) for {@code analyzer}: written to its journal, queued when there is room. */
    boolean keep(int analyzer, Chunk chunk) {
        return handOver(-1, analyzer, chunk);
    }

    private boolean handOver(int from, int to, Chunk chunk) {
        CompletableFuture<Boolean> moved = new CompletableFuture<>();
        try {
            if (!running || !requests.offer(new Request(List.of(chunk), new int[] {to}, null, null, from, moved),
                    1, TimeUnit.SECONDS)) {
                return false;
            }
            return moved.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private void run() {
        List<Request> round = new ArrayList<>(MAX_ROUND);
        while (running) {
            try {
                Request first = requests.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                round.add(first);
                requests.drainTo(round, MAX_ROUND - 1);
                keep(round);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                LOG.error("keeping a round of {} packets failed: {}", round.size(), e.toString(), e);
                round.forEach(r -> refuse(r, "could not keep: " + e));
            } finally {
                round.clear();
            }
        }
    }

    /** One append per journal for the whole round, then each packet's outcome. */
    private void keep(List<Request> round) {
        int n = journals.size();
        List<List<Chunk>> groups = new ArrayList<>(n);
        for (int a = 0; a < n; a++) {
            groups.add(new ArrayList<>());
        }
        int[][] places = new int[round.size()][];
        for (int r = 0; r < round.size(); r++) {
            Request request = round.get(r);
            places[r] = new int[request.chunks().size()];
            for (int c = 0; c < places[r].length; c++) {
                List<Chunk> group = groups.get(request.analyzers()[c]);
                places[r][c] = group.size();
                group.add(request.chunks().get(c));
            }
        }
        JournalAppend[] appends = new JournalAppend[n];
        IOException[] failures = new IOException[n];
        for (int a = 0; a < n; a++) {
            if (!groups.get(a).isEmpty()) {
                try {
                    appends[a] = journals.of(a).append(groups.get(a));
                } catch (IOException e) {
                    failures[a] = e;
                }
            }
        }
        for (int r = 0; r < round.size(); r++) {
            outcome(round.get(r), places[r], appends, failures);
        }
        for (int a = 0; a < n; a++) {
            if (appends[a] != null) {
                inMemory.settle(a, appends[a].lastSeq());
            }
        }
    }

    private void outcome(Request request, int[] places, JournalAppend[] appends, IOException[] failures) {
        int[] analyzers = request.analyzers();
        for (int analyzer : analyzers) {
            if (failures[analyzer] != null) {
                for (int c = 0; c < places.length; c++) { // what was written of the packet will never be delivered
                    if (appends[analyzers[c]] != null) {
                        journals.of(analyzers[c]).done(appends[analyzers[c]].firstSeq() + places[c]);
                    }
                }
                refuse(request, "cannot keep the packet: " + failures[analyzer].getMessage());
                return;
            }
        }
        List<CompletableFuture<Void>> durable = new ArrayList<>(1);
        for (int c = 0; c < places.length; c++) {
            int analyzer = analyzers[c];
            Chunk kept = request.chunks().get(c).withSeq(appends[analyzer].firstSeq() + places[c]);
            inMemory.add(analyzer, kept.seq()); // before it is queued: its delivery may be done before the offer returns
            if (!queues.offerNow(analyzer, kept)) {
                inMemory.remove(analyzer, kept.seq()); // on disk only: the replay delivers it
                if (refuseOverflow && request.moved() == null) {
                    for (int k = 0; k < places.length; k++) { // what was queued of it may still go: the re-send is a duplicate
                        journals.of(analyzers[k]).done(appends[analyzers[k]].firstSeq() + places[k]);
                        inMemory.remove(analyzers[k], appends[analyzers[k]].firstSeq() + places[k]);
                    }
                    refuse(request, "the queue of analyzer " + analyzer + " is full");
                    return;
                }
            }
            if (!durable.contains(appends[analyzer].durable())) {
                durable.add(appends[analyzer].durable());
            }
        }
        if (request.moved() != null) {
            Chunk original = request.chunks().get(0);
            // done in the first journal only once the second one has it as durably as a packet would
            CompletableFuture.allOf(durable.toArray(new CompletableFuture[0])).whenComplete((ok, failure) -> {
                if (failure == null && request.from() >= 0) {
                    journals.of(request.from()).done(original.seq());
                    inMemory.remove(request.from(), original.seq());
                }
                request.moved().complete(failure == null);
            });
            return;
        }
        if (durable.size() == 1 && durable.get(0).isDone() && !durable.get(0).isCompletedExceptionally()) {
            answer(request, null); // written, and written is all the durability asks for
            return;
        }
        CompletableFuture.allOf(durable.toArray(new CompletableFuture[0])).whenComplete((ok, failure) -> answer(request,
                failure == null ? null : new NoRoomException("the journal could not be forced to disk: " + failure)));
    }

    private static void refuse(Request request, String why) {
        if (request.moved() != null) {
            request.moved().complete(false);
            return;
        }
        answer(request, new NoRoomException(why));
    }

    /**
     * Lets the route go on, on this thread. Handing it to the event loop that read the request instead (its Vert.x
     * context) was measured: no fewer thread switches (a response ended off its event loop hops there anyway), and
     * the route's remainder only moved from this thread to the event loops (bench/profiles.md).
     */
    private static void answer(Request request, Exception failure) {
        if (failure != null) {
            request.exchange().setException(failure);
        }
        request.callback().done(false);
    }
}
