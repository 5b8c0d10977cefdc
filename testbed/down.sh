#!/usr/bin/env bash
# Removes everything testbed/up.sh (and load.sh) created for a prefix: processes running inside our
# namespaces, the namespaces (their veths, bridges and qdiscs go with them), the state directory and the
# topology file it wrote. Idempotent; also cleans up after a crashed or interrupted run, because it finds
# the namespaces by prefix as well as from the state file.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) SVTB_PREFIX="${2:-}"; shift 2 ;;
    -h|--help) echo "usage: testbed/down.sh [--prefix P-]"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done
check_prefix
[ "$(id -u)" -eq 0 ] || die "missing: root (cannot delete network namespaces)"
dir="$(state_dir)"

namespaces="$(our_namespaces)"
if [ -f "$dir/created.list" ]; then
  namespaces="$(printf '%s\n%s\n' "$namespaces" "$(awk '$1 == "netns" {print $2}' "$dir/created.list")" | sort -u)"
fi
# Processes we started inside our namespaces (agents, iperf3): stop them, then make sure.
for sig in TERM KILL; do
  for ns in $namespaces; do
    pids="$(ip netns pids "$ns" 2>/dev/null || true)"
    [ -z "$pids" ] || kill "-$sig" $pids 2>/dev/null || true
  done
  [ "$sig" = KILL ] || sleep 0.3
done
removed=0
for ns in $namespaces; do
  if ip netns del "$ns" 2>/dev/null; then removed=$((removed + 1)); fi
done
if [ -f "$dir/created.list" ]; then
  awk '$1 == "topology" {print $2}' "$dir/created.list" | while read -r f; do rm -f "$f"; done
fi
rm -rf "$dir"
log "down: removed $removed namespaces with prefix $SVTB_PREFIX"
