#!/usr/bin/env python3
"""Where the distributor's CPU goes: buckets the stack samples of `jfr print --events jdk.ExecutionSample` by the
phase of the request they belong to. Usage: jfr-phases.py SAMPLES.txt (bench/run.sh --profile runs it)."""
import collections
import re
import sys

PHASES = [  # first match wins; a sample is placed by the frames on its stack
    ("ingest: validate (IngestProcessor)", ["dev.logdist.routes.IngestProcessor.process"]),
    ("ingest: balance + enqueue", ["MessageWeightedLoadBalancer", "ChunkEnqueuer"]),
    ("ingest: 202 answer + metrics", ["HttpAnswers", "DistributorBeans"]),
    ("deliver: HTTP client", ["HttpProducer", "hc.client5", "hc.core5"]),
    ("deliver: breaker, batching, SEDA", ["SedaConsumer", "ResilienceProcessor"]),
    ("ingest: Camel route machinery", ["VertxPlatformHttpConsumer.processExchange"]),
    ("ingest: write the answer", ["VertxPlatformHttpSupport.writeResponse"]),
    ("ingest: copy headers and body in", ["populateCamelMessage", "populateCamelHeaders"]),
    ("HTTP server (Vert.x, Netty)", ["vertx", "netty"]),
]

samples = open(sys.argv[1]).read().split("jdk.ExecutionSample")[1:]
counts = collections.Counter()
for sample in samples:
    stack = " ".join(re.findall(r"^\s+([\w$.<>]+)\(", sample, re.M))
    phase = next((name for name, marks in PHASES if any(m in stack for m in marks)), "other (GC, JIT, timers)")
    counts[phase] += 1
print(f"{len(samples)} CPU samples of the distributor (JFR, Java frames only; kernel time is not sampled)")
for phase, n in counts.most_common():
    print(f"{100 * n / max(1, len(samples)):5.1f} %  {phase}")
