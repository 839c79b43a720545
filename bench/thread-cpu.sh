#!/usr/bin/env bash
# CPU and context switches of a JVM's threads over a window, grouped by thread name (digits dropped): what JFR cannot
# see (kernel time, thread hand-offs). Usage: bench/thread-cpu.sh PID SECONDS [REQUESTS]; with REQUESTS (served in that
# window) it prints per-request figures: CPU microseconds, voluntary and involuntary switches.
set -euo pipefail
pid="$1"; secs="$2"; reqs="${3:-0}"
snap() { local t; for t in /proc/"$pid"/task/*; do
    name=$(tr -d '0-9' <"$t/comm" 2>/dev/null | tr ' ' '_') || continue
    cpu=$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}') || continue
    vol=$(awk '/^voluntary_ctxt_switches/{print $2}' "$t/status" 2>/dev/null) || continue
    inv=$(awk '/^nonvoluntary_ctxt_switches/{print $2}' "$t/status" 2>/dev/null) || continue
    echo "${t##*/} $name $cpu $vol $inv"; done; }
tmp=$(mktemp); a=$(snap); sleep "$secs"; b=$(snap)
awk -v reqs="$reqs" -v tck="$(getconf CLK_TCK)" -v secs="$secs" '
  NR == FNR { c[$1] = $3; v[$1] = $4; i[$1] = $5; next }
  { g = $2; C[g] += $3 - c[$1]; V[g] += $4 - v[$1]; I[g] += $5 - i[$1]; N[g]++ }
  END { for (g in C) { if (C[g] == 0 && V[g] + I[g] == 0) continue
      printf "%-28s %7d %9.3f %9.2f %5.2f+%.2f\n", g, N[g], C[g] / tck / secs, reqs ? C[g] * 1e6 / tck / reqs : C[g] * 1000 / tck,
        reqs ? V[g] / reqs : V[g], reqs ? I[g] / reqs : I[g] } }' <(echo "$a") <(echo "$b") >"$tmp"
printf "%-28s %7s %9s %9s %9s\n" threads count cores "$([ "$reqs" -gt 0 ] && echo cpu_us/req || echo cpu_ms)" \
  "$([ "$reqs" -gt 0 ] && echo vol+inv/req || echo vol+inv)"
sort -k3 -nr "$tmp"; rm -f "$tmp"
