#!/usr/bin/env bash
# JMH benchmarks of the hot paths (benchmarks/): PacketParser.parse at 1, 10, 100 and 1,000 messages per packet
# (bench/run.sh's packet shape, and the same with attributes) in MB/s per core, the balancer's pick per chunk, and
# the reading of bench/run.sh's bulk request (10 and 100 documents) in microseconds per request.
# Short settings by default (a shared 2-core machine): 1 fork, 3 warm-up and 5 measured iterations of 1 s each.
#   bench/jmh.sh                        # everything
#   bench/jmh.sh --iterations 10 Parser # more iterations, only the benchmarks matching the regex "Parser"
#   bench/jmh.sh -- -p messages=1000    # anything after -- goes to JMH as it is (java -jar benchmarks.jar -h)
set -euo pipefail
cd "$(dirname "$0")/.."

FORKS=1 WARMUP=3 ITERATIONS=5 TIME=1s FILTER="" EXTRA=()
usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; echo "options: --forks N --warmup N --iterations N --time 1s [REGEX] [-- JMH options]"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --forks) FORKS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --iterations) ITERATIONS="$2"; shift 2 ;;
    --time) TIME="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; EXTRA=("$@"); break ;;
    -*) echo "jmh.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) FILTER="$1"; shift ;;
  esac
done

JAR=benchmarks/target/benchmarks.jar
# build when the jar is missing or older than any source it is made of
if [ ! -f "$JAR" ] || [ -n "$(find benchmarks/src distributor/src/main benchmarks/pom.xml pom.xml -newer "$JAR" -type f -print -quit)" ]; then
  echo "jmh.sh: building $JAR" >&2
  ./mvnw -B -q -pl benchmarks -am -DskipTests package
fi

OUT=benchmarks/target/jmh-result.csv
java -jar "$JAR" ${FILTER:+"$FILTER"} -f "$FORKS" -wi "$WARMUP" -w "$TIME" -i "$ITERATIONS" -r "$TIME" \
  -rf csv -rff "$OUT" ${EXTRA[@]+"${EXTRA[@]}"}

# The table: a parse row's bytes counter (bytes per microsecond) is MB/s per core; the pick in millions per second.
echo
awk -F',' '
  function unq(s) { gsub(/"/, "", s); return s }
  { sub(/\r$/, "") }
  NR == 1 { for (i = 1; i <= NF; i++) col[unq($i)] = i; next }
  { name = unq($col["Benchmark"]); sub(/^dev\.logdist\.benchmarks\./, "", name)
    score = unq($col["Score"]); err = unq($col["Score Error (99.9%)"])
    m = ("Param: messages" in col) ? unq($col["Param: messages"]) : ""
    s = ("Param: shape" in col) ? unq($col["Param: shape"]) : ""
    c = ("Param: chunk" in col) ? unq($col["Param: chunk"]) : ""
    d = ("Param: documents" in col) ? unq($col["Param: documents"]) : "" }
  name ~ /parse:bytes$/ { parse[s, m] = sprintf("%6.0f ± %-5.0f", score, err); shapes[s]; sizes[m]; next }
  name ~ /parse$/ { per[s, m] = score; next }
  name ~ /pick$/ { picks = picks sprintf("balancer pick (chunks of %s messages): %.1f million picks/s per core (± %.1f)\n", c, score, err) }
  name ~ /BulkReadBenchmark.read$/ { reads = reads sprintf("bulk request read (%s documents): %.2f us per request (± %.2f)\n", d, score, err) }
  END {
    if (length(parse) > 0) {
      printf "%-12s %9s %18s %14s\n", "packet", "messages", "MB/s per core", "us per packet"
      n = split("typical attributes", order, " ")
      for (k = 1; k <= n; k++) for (m = 1; m <= 1000; m *= 10) if (((s = order[k]), m) in parse)
        printf "%-12s %9s %18s %14.2f\n", s, m, parse[s, m], 1 / per[s, m]
      for (s in shapes) if (s != "typical" && s != "attributes") for (m = 1; m <= 1000; m *= 10) if ((s, m) in parse)
        printf "%-12s %9s %18s %14.2f\n", s, m, parse[s, m], 1 / per[s, m]
    }
    printf "%s%s", picks, reads
  }' "$OUT"
