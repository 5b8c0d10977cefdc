#!/bin/sh
# GET /cgi-bin/state: the guest's in-memory state, one key=value per line.
echo "Content-Type: text/plain"; echo
echo "heartbeat=$(cat /run/hb 2>/dev/null || echo 0)"
echo "hits=$(cat /run/hits)"
echo "boot_id=$(cat /run/boot_id)"
echo "uptime=$(cut -d' ' -f1 /proc/uptime)"
