#!/usr/bin/env python3
"""Where the distributor's CPU goes: buckets the stack samples of `jfr print --events jdk.ExecutionSample` by the
phase of the request they belong to, then lists the hottest leaf methods (self time).
Usage: jfr-phases.py SAMPLES.txt [TOP (15)] (bench/run.sh --profile runs it)."""
import collections
import re
import sys

PHASES = [  # first match wins; a sample is placed by any frame on its stack, so the specific ones come first
    ("ingest: validate (validation: PacketParser, MessageReader, Jackson)", ["dev.logdist.validation."]),
    ("ingest: cut into chunks (PacketChunker)", ["PacketChunker"]),
    ("ingest: balance (MessageWeightedLoadBalancer)", ["MessageWeightedLoadBalancer", "dev.logdist.balancer."]),
    ("keep: packet keeper, journal append", ["PacketKeeper", "JournalWriter", "dev.logdist.spool.Journal.append"]),
    ("ingest: enqueue (ChunkEnqueuer, memory queues)", ["ChunkEnqueuer", "AnalyzerQueues"]),
    ("ingest: 202 answer + metrics", ["HttpAnswers", "IngestMeters"]),
    ("ingest: IngestProcessor (room, packet id, duplicate window)", ["dev.logdist.ingest.IngestProcessor"]),
    # what another protocol costs on top: reading it, writing its native packet, its own answer
    ("ingest: another protocol (OTLP, bulk, JSON lines)", ["dev.logdist.otlp.", "dev.logdist.bulk.",
                                                           "dev.logdist.lines."]),
    ("ingest: other", ["dev.logdist.ingest."]),
    ("deliver: HTTP client", ["HttpProducer", "hc.client5", "hc.core5"]),
    ("deliver: done, cursor, counting", ["SpoolBuffer.delivered", "Completions", "JournalIndex", "JournalCursor"]),
    ("deliver: breaker, batching, SEDA", ["SedaConsumer", "ResilienceProcessor", "ChunkBatcher"]),
    ("ingest: write the answer (Vert.x response)", ["Http1xServerResponse.end", "IngestHttpEngine$EventLoopConsumer.answer"]),
    ("ingest: Camel route machinery", ["IngestHttpEngine", "org.apache.camel"]),
    ("HTTP server (Vert.x, Netty)", ["vertx", "netty"]),
]

samples = open(sys.argv[1]).read().split("jdk.ExecutionSample")[1:]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 15
counts = collections.Counter()
leaves = collections.Counter()
for sample in samples:
    frames = re.findall(r"^\s+([\w$.<>]+)\(", sample, re.M)
    stack = " ".join(frames)
    phase = next((name for name, marks in PHASES if any(m in stack for m in marks)), "other (GC, JIT, timers)")
    counts[phase] += 1
    if frames:
        leaves[frames[0]] += 1
n = max(1, len(samples))
print(f"{len(samples)} CPU samples of the distributor (JFR, Java frames only; kernel time is not sampled)")
for phase, c in counts.most_common():
    print(f"{100 * c / n:5.1f} %  {phase}")
print(f"\nhottest methods (self):")
for method, c in leaves.most_common(top):
    print(f"{100 * c / n:5.1f} %  {method}")
