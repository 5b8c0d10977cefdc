#!/usr/bin/env bash
# Side-by-side: ShadowVM's L4/L7 redirectors vs HAProxy (Debian 2.6), same machine, same run, same Java load
# generator; direct (no proxy) as the limit. Builds the redirect and bench modules offline first.
# Usage: shadowvm-bench/scripts/redirect-bench.sh [--seconds 5] [--warmup 2] [--concurrency 32] [--threads 2]
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -o -q -pl shadowvm-redirect install -DskipTests
mvn -B -o -q -pl shadowvm-bench package -DskipTests
exec java -Xmx1g -cp "shadowvm-bench/target/shadowvm-bench-0.1.0-SNAPSHOT.jar:shadowvm-bench/target/lib/*" \
  io.shadowvm.bench.redirect.RedirectBench "$@"
