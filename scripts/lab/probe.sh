#!/usr/bin/env bash
# Does a TCP connection from inside a lab container get established?
#
#   scripts/lab/probe.sh FROM_CONTAINER TARGET_IP PORT
#
# Prints `open` and exits 0 if the connection is established within 3 s;
# prints `closed` and exits 1 if it is refused, reset or times out (a dropped
# SYN gives up after 3 s instead of hanging). Exits 2 on a usage error or when
# the lab or the container is not there, so a typo never looks like "closed".
set -euo pipefail

CONNECT_TIMEOUT=3

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_DIR="$(cd "$SCRIPT_DIR/../.." && pwd)/.lab"
DOCKER_SOCK="$LAB_DIR/docker.sock"
unset DOCKER_CONTEXT DOCKER_HOST   # only ever the lab engine

usage() { echo "usage: $0 FROM_CONTAINER TARGET_IP PORT" >&2; exit 2; }

(($# == 3)) || usage
from=$1 target=$2 port=$3
[[ "$from" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] || usage
[[ "$target" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || { echo "probe: TARGET_IP must be an IPv4 address" >&2; exit 2; }
if ! [[ "$port" =~ ^[0-9]+$ ]] || ((10#$port < 1 || 10#$port > 65535)); then
  echo "probe: bad PORT '$port'" >&2
  exit 2
fi
port=$((10#$port))

[[ -S "$DOCKER_SOCK" ]] || { echo "probe: lab is not running (no $DOCKER_SOCK); run: npm run lab" >&2; exit 2; }
running=$(docker -H "unix://$DOCKER_SOCK" inspect -f '{{.State.Running}}' "$from" 2>/dev/null || true)
[[ "$running" == true ]] || { echo "probe: container '$from' is not running in the lab engine" >&2; exit 2; }

# Inside the container only busybox exists. `nc -w` bounds the connect with an
# alarm; stdin is empty, so once connected nc half-closes, the listener
# (busybox httpd) sees EOF and closes, and nc exits 0. `busybox timeout` and
# the host-side `timeout` are backstops should anything still linger.
if timeout $((CONNECT_TIMEOUT + 5)) \
  docker -H "unix://$DOCKER_SOCK" exec "$from" \
  busybox timeout $((CONNECT_TIMEOUT + 1)) busybox nc -w "$CONNECT_TIMEOUT" "$target" "$port" \
  </dev/null >/dev/null 2>&1; then
  echo open
  exit 0
fi
echo closed
exit 1
