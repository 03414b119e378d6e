# shellcheck shell=bash
# Sourced by scripts/lab/lab.sh: the labelled containers, moved from Docker's bridge onto the OVS bridge.

# ------------------------------------------------------------- containers ----

# Every container listens on every port, so a refused or dropped connection
# later proves the policy, not a missing listener. sh is PID 1: the trap makes
# `docker stop` quick instead of waiting for the KILL timeout.
serve_script() {
  local s='trap "exit 0" TERM INT;' p
  for p in $LISTEN_PORTS; do s+=" busybox httpd -f -p $p -h /www &"; done
  printf '%s wait' "$s"
}

start_containers() {
  # Containers or the network may survive in the data root after an unclean
  # stop; the engine is private to the lab, so everything in it goes.
  remove_docker_objects
  check_subnet_free
  log "creating network $DOCKER_NET ($SUBNET) and containers"
  # --internal: the network is meant to have no way out of the lab subnet
  # (its gateway stays on Docker's bridge, which the veths then leave).
  dk network create --driver bridge --internal --subnet "$SUBNET" --gateway "$GATEWAY" \
    -o com.docker.network.bridge.name="$DOCKER_NET_IF" \
    -o com.docker.network.bridge.enable_ip_masquerade=false \
    "$DOCKER_NET" >/dev/null
  local spec name tier service out
  for spec in "${CONTAINERS[@]}"; do
    IFS=: read -r name tier service <<<"$spec"
    # Output captured: the engine warns that IP forwarding is off, which is
    # intended (lab traffic is switched on br-lab, never routed).
    out=$(dk run -d --name "$name" --hostname "$name" --network "$DOCKER_NET" \
      --restart no \
      --label "tier=$tier" \
      --label "com.docker.compose.service=$service" \
      --label "com.docker.compose.project=$COMPOSE_PROJECT" \
      "$IMAGE" sh -c "$(serve_script)" 2>&1) || die "could not start container $name: $out"
  done
}

# Host-side veth of a container: its eth0's iflink is the peer's ifindex.
host_veth() {
  local pid=$1 idx f
  idx=$(nsenter -t "$pid" -n ip -o link show dev eth0 | sed -n 's/^[0-9]*: eth0@if\([0-9]*\):.*/\1/p')
  [[ -n "$idx" ]] || return 1
  for f in /sys/class/net/*/ifindex; do
    if [[ "$(<"$f")" == "$idx" ]]; then basename "$(dirname "$f")"; return 0; fi
  done
  return 1
}

# Move each container's veth from Docker's bridge onto br-lab. Transmit
# checksum offload goes off on both ends, or the userspace conntrack sees
# bad TCP checksums and tracks new connections as invalid.
attach_containers() {
  local spec name pid veth
  for spec in "${CONTAINERS[@]}"; do
    name=${spec%%:*}
    pid=$(dk inspect -f '{{.State.Pid}}' "$name")
    veth=$(host_veth "$pid") || die "cannot find the host veth of $name"
    record_link "$veth"
    ip link set dev "$veth" nomaster
    # container_id and container_iface as ovs-docker records them: the app reads them to bind
    # each container's port (Hosts, Read switch ports).
    vsctl -- --may-exist add-port "$BRIDGE" "$veth" \
      -- set Interface "$veth" external_ids:lab-container="$name" \
      external_ids:container_id="$name" external_ids:container_iface=eth0
    ethtool -K "$veth" tx off >/dev/null
    nsenter -t "$pid" -n ethtool -K eth0 tx off >/dev/null
  done
  log "attached ${#CONTAINERS[@]} containers to $BRIDGE"
}

container_ip()  { dk inspect -f "{{(index .NetworkSettings.Networks \"$DOCKER_NET\").IPAddress}}" "$1"; }
container_mac() { dk inspect -f "{{(index .NetworkSettings.Networks \"$DOCKER_NET\").MacAddress}}" "$1"; }

# The veth currently on br-lab for a container (empty if none).
container_port() { vsctl --bare --columns=name find Interface "external_ids:lab-container=$1" 2>/dev/null | head -n1; }

containers_healthy() {
  local spec name pid veth
  for spec in "${CONTAINERS[@]}"; do
    name=${spec%%:*}
    [[ "$(dk inspect -f '{{.State.Running}}' "$name" 2>/dev/null)" == true ]] || return 1
    pid=$(dk inspect -f '{{.State.Pid}}' "$name") || return 1
    veth=$(host_veth "$pid") || return 1
    [[ "$(container_port "$name")" == "$veth" ]] || return 1
  done
}

# Before any policy, the default NORMAL flow must let everyone reach everyone.
verify_connectivity() {
  local from=${CONTAINERS[0]%%:*} spec name ip tries
  for spec in "${CONTAINERS[@]:1}"; do
    name=${spec%%:*}
    ip=$(container_ip "$name")
    tries=3  # the first SYN may wait for ARP / MAC learning
    until bash "$SCRIPT_DIR/probe.sh" "$from" "$ip" 80 >/dev/null; do
      ((--tries > 0)) || die "$from cannot reach $name ($ip:80) over $BRIDGE"
    done
  done
  log "connectivity over $BRIDGE checked ($from -> every other container)"
}

