#!/usr/bin/env bash
# Side-by-side: ShadowVM's L4/L7 redirectors vs HAProxy (Debian 2.6), same machine, same run, same Java load
# generator; direct (no proxy) as the limit. Builds the redirect and bench modules offline, then runs from a
# private copy of the jars (other builds may rewrite shadowvm-bench/target while the benchmark runs).
# Usage: shadowvm-bench/scripts/redirect-bench.sh [--seconds 3] [--warmup 25] [--rounds 3] [--concurrency 32]
#        [--threads 2] [--bulk-mib 256] [--only conn|bulk|http]
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -o -q -pl shadowvm-redirect install -DskipTests
mvn -B -o -q -pl shadowvm-bench package -DskipTests
snapshot=$(mktemp -d /tmp/shadowvm-redirect-bench.XXXXXX)
trap 'rm -rf "$snapshot"' EXIT
cp shadowvm-bench/target/shadowvm-bench-0.1.0-SNAPSHOT.jar "$snapshot/"
cp -r shadowvm-bench/target/lib "$snapshot/lib"
java -Xmx1g -cp "$snapshot/shadowvm-bench-0.1.0-SNAPSHOT.jar:$snapshot/lib/*" \
  io.shadowvm.bench.redirect.RedirectBench "$@"
