#!/usr/bin/env bash
# Microseg Designer test lab.
#
#   npm run lab            # same as: npm run lab -- start
#   npm run lab -- stop
#   npm run lab -- status
#
# Brings up, on this machine and touching nothing else:
#   * a private containerd + Docker engine (own data/exec roots, own socket),
#   * a private Open vSwitch (ovsdb-server + ovs-vswitchd, userspace datapath)
#     with bridge br-lab,
#   * a private sshd on 127.0.0.1 (key auth only) whose logins see that OVS,
#   * four busybox containers (web1, web2, app1, db1) whose veths are moved
#     from Docker's bridge onto br-lab, so OpenFlow rules on br-lab decide
#     what they can reach.
# All state lives in <repo>/.lab/. Every daemon has its own pidfile there, and
# `stop` ends exactly those PIDs (after checking they still are our process).
set -Eeuo pipefail

# ---------------------------------------------------------------- layout ----

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The repo root is two levels up from scripts/lab; CI clones elsewhere, so
# never hard-code /work/main.
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
LAB_DIR="$REPO_ROOT/.lab"

# Docker engine and its containerd.
DOCKER_SOCK="$LAB_DIR/docker.sock"
DOCKER_PIDFILE="$LAB_DIR/docker.pid"
DOCKER_LOG="$LAB_DIR/docker.log"
DOCKER_DATA="$LAB_DIR/docker"      # images survive stop, so restarts are fast
DOCKER_EXEC="$LAB_DIR/dx"          # short: keeps socket paths below it short
DOCKER_CONFIG_FILE="$LAB_DIR/daemon.json"
DOCKER_KEY="$LAB_DIR/docker-key.json"
CTD_SOCK="$LAB_DIR/ctd.sock"
CTD_PIDFILE="$LAB_DIR/containerd.pid"
CTD_LOG="$LAB_DIR/containerd.log"
CTD_CONFIG="$LAB_DIR/containerd.toml"
CTD_ROOT="$LAB_DIR/ctd"
CTD_STATE="$LAB_DIR/ctd-state"
CTD_NAMESPACE="microseg-lab"

# Open vSwitch.
OVS_DIR="$LAB_DIR/ovs"
OVS_DB="$OVS_DIR/conf.db"
OVS_DB_SOCK="$OVS_DIR/db.sock"
OVSDB_PIDFILE="$OVS_DIR/ovsdb-server.pid"
VSWITCHD_PIDFILE="$OVS_DIR/ovs-vswitchd.pid"
OVS_SCHEMA="/usr/share/openvswitch/vswitch.ovsschema"
BRIDGE="br-lab"
OF_PROTOCOLS="OpenFlow10,OpenFlow11,OpenFlow12,OpenFlow13,OpenFlow14,OpenFlow15"

# sshd.
SSH_DIR="$LAB_DIR/ssh"
SSHD_CONFIG="$SSH_DIR/sshd_config"
SSHD_PIDFILE="$SSH_DIR/sshd.pid"
SSHD_LOG="$SSH_DIR/sshd.log"
SSH_HOST_KEY="$SSH_DIR/host_ed25519_key"
SSH_CLIENT_KEY="$SSH_DIR/id_ed25519"
SSH_AUTH_KEYS="$SSH_DIR/authorized_keys"
SSH_KNOWN_HOSTS="$SSH_DIR/known_hosts"
SSH_PORT_FILE="$SSH_DIR/port"
SSH_FIRST_PORT=2222
SSH_LAST_PORT=2299

# Docker objects, all inside the lab's own engine.
IMAGE="lab/busybox:1"
DOCKER_NET="microseg-lab"
DOCKER_NET_IF="lab-dnet0"          # Docker's Linux bridge for that network
SUBNET="10.211.0.0/24"             # these addresses belong to the lab
GATEWAY="10.211.0.1"
CONTEXT="microseg-lab"
LISTEN_PORTS="80 8080 5432"
# name:tier:compose-service
CONTAINERS=("web1:web:web" "web2:web:web" "app1:app:app" "db1:db:db")
COMPOSE_PROJECT="shop"

# Bookkeeping.
LINKS_FILE="$LAB_DIR/links"        # network interfaces this lab created
DIRS_FILE="$LAB_DIR/host-dirs"     # directories outside .lab this lab created
# containerd and dockerd hard-code these (shim sockets, plugin discovery).
HOST_DIRS=(/run/containerd /run/containerd/s /run/docker /run/docker/plugins)
LAB_JSON="$LAB_DIR/lab.json"
LAB_ENV="$LAB_DIR/lab.env"

PACKAGES=(docker.io iptables openvswitch-switch ethtool openssh-server busybox-static iproute2)

# OVS tools find the lab's instance through these; exported so every ovs-*
# call in this script can only ever reach our own ovsdb-server/vswitchd.
export OVS_RUNDIR="$OVS_DIR" OVS_LOGDIR="$OVS_DIR" OVS_DBDIR="$OVS_DIR" OVS_SYSCONFDIR="$OVS_DIR"
# A DOCKER_CONTEXT/DOCKER_HOST from the caller must not redirect our docker calls.
unset DOCKER_CONTEXT DOCKER_HOST

# ----------------------------------------------------------- small tools ----

log()  { printf 'lab: %s\n' "$*"; }
warn() { printf 'lab: warning: %s\n' "$*" >&2; }
die()  { printf 'lab: error: %s\n' "$*" >&2; exit 1; }

on_error() {
  printf 'lab: error: command failed (line %s): %s\n' "$1" "$2" >&2
  if [[ "${LAB_CMD:-}" == start ]]; then
    printf 'lab: the lab may be half-started; "npm run lab" cleans up and retries, "npm run lab -- stop" cleans up.\n' >&2
  fi
}
trap 'on_error "$LINENO" "$BASH_COMMAND"' ERR

# docker CLI aimed at the lab engine only.
dk() { docker -H "unix://$DOCKER_SOCK" "$@"; }

# ovs-vsctl aimed at the lab database only; bounded so a dead daemon can't hang us.
vsctl() { ovs-vsctl --db="unix:$OVS_DB_SOCK" --timeout=10 "$@"; }

# The PID in a pidfile, if that process is alive and its command line still
# mentions the lab directory (so a recycled PID is never mistaken for ours).
lab_pid() {
  local pidfile=$1 pid
  [[ -s "$pidfile" ]] || return 1
  pid=$(tr -dc '0-9' <"$pidfile")
  [[ -n "$pid" ]] && pid_running "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$LAB_DIR" || return 1
  printf '%s\n' "$pid"
}

# Is a PID running? A zombie counts as gone: our daemons are reparented to
# PID 1, which may reap them only some time after they exit.
pid_running() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }          # fields after "pid (comm) "; first is the state
  [[ "${stat%% *}" != Z ]]
}

# Wait (bounded) until a PID is gone.
wait_gone() {
  local pid=$1 tries=$(( $2 * 10 ))
  while pid_running "$pid" && (( tries-- > 0 )); do sleep 0.1; done
  ! pid_running "$pid"
}

# End one of our daemons: TERM, bounded wait, then KILL as a last resort.
stop_pidfile() {
  local name=$1 pidfile=$2 grace=$3 pid
  if pid=$(lab_pid "$pidfile"); then
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_gone "$pid" "$grace"; then
      warn "$name (pid $pid) ignored TERM for ${grace}s; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      wait_gone "$pid" 5 || warn "$name (pid $pid) is still alive"
    fi
  fi
  rm -f "$pidfile"
}

# Remember an interface we are about to create, so stop can delete leftovers
# (and only those).
record_link() { grep -qxF "$1" "$LINKS_FILE" 2>/dev/null || echo "$1" >>"$LINKS_FILE"; }
link_exists() { [[ -e "/sys/class/net/$1" ]]; }
link_is_ours() { grep -qxF "$1" "$LINKS_FILE" 2>/dev/null; }

# Refuse to create an interface whose name is taken by something not ours.
claim_link() {
  local name=$1
  if link_exists "$name"; then
    if link_is_ours "$name"; then ip link del "$name" 2>/dev/null || true; fi
    link_exists "$name" && die "network interface '$name' already exists and was not made by this lab (another OVS or Docker?); not touching it"
  fi
  record_link "$name"
}

json_str() { # minimal JSON string escaping (our values are plain ASCII)
  local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"
}

# -------------------------------------------------------- prerequisites ----

check_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    [[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)" == installed ]] || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  if ((EUID != 0)); then
    die "missing Debian packages; install them as root: apt-get install -y ${missing[*]}"
  fi
  log "installing missing packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

check_root() {
  ((EUID == 0)) || die "the lab needs root (it runs dockerd, ovs-vswitchd, sshd and moves veths); run it as root"
}

# Unix socket paths must stay below ~108 bytes; the longest we create is the
# vswitchd control socket ($OVS_DIR/ovs-vswitchd.<pid>.ctl).
check_paths() {
  local longest="$OVS_DIR/ovs-vswitchd.4194304.ctl"
  ((${#longest} < 100)) || die "repo path too long for unix sockets (${#longest} chars in $longest); clone it to a shorter path"
}

# The lab subnet must not overlap any route already on this host (ours aside).
check_subnet_free() {
  local routes
  routes=$( { ip -o route show match "$SUBNET"; ip -o route show root "$SUBNET"; } | grep -v '^default' | grep -v " dev $DOCKER_NET_IF " || true)
  [[ -z "$routes" ]] || die "lab subnet $SUBNET overlaps existing routes: $routes"
}

# ------------------------------------------------------------ containerd ----

# Remember which hard-coded host directories do not exist yet, so stop can
# remove them again (only if empty, and only those).
record_host_dirs() {
  local d
  for d in "${HOST_DIRS[@]}"; do
    [[ -e "$d" ]] || grep -qxF "$d" "$DIRS_FILE" 2>/dev/null || echo "$d" >>"$DIRS_FILE"
  done
}

remove_host_dirs() {
  local d
  [[ -s "$DIRS_FILE" ]] || return 0
  # deepest first; rmdir only removes empty directories
  sort -r "$DIRS_FILE" | while read -r d; do rmdir "$d" 2>/dev/null || true; done
  rm -f "$DIRS_FILE"
}

# Our own containerd: dockerd would otherwise share a system containerd at
# /run/containerd/containerd.sock whenever one happens to be running.
start_containerd() {
  record_host_dirs
  mkdir -p "$CTD_ROOT" "$CTD_STATE"
  cat >"$CTD_CONFIG" <<EOF
# Written by scripts/lab/lab.sh: a containerd private to the lab.
version = 2
root = "$CTD_ROOT"
state = "$CTD_STATE"
# CRI would start a streaming server and CNI handling; Docker needs neither.
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$CTD_SOCK"
[ttrpc]
  address = "$CTD_SOCK.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$CTD_ROOT/opt"
EOF
  log "starting containerd"
  # setsid: detach from the caller's terminal so Ctrl-C there can't kill it.
  # (In a non-interactive script setsid does not fork, so $! is containerd.)
  setsid containerd --config "$CTD_CONFIG" </dev/null >>"$CTD_LOG" 2>&1 &
  local pid=$!
  echo "$pid" >"$CTD_PIDFILE"
  local tries=150
  until [[ -S "$CTD_SOCK" ]]; do
    pid_running "$pid" || { tail -n 20 "$CTD_LOG" >&2; die "containerd exited during startup (log: $CTD_LOG)"; }
    ((tries-- > 0)) || { tail -n 20 "$CTD_LOG" >&2; die "containerd did not create $CTD_SOCK within 15s (log: $CTD_LOG)"; }
    sleep 0.1
  done
  lab_pid "$CTD_PIDFILE" >/dev/null || die "containerd pid $pid does not look like the lab's containerd"
}

# ---------------------------------------------------------------- docker ----

docker_answers() {
  [[ -S "$DOCKER_SOCK" ]] && timeout 10 docker -H "unix://$DOCKER_SOCK" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

start_dockerd() {
  mkdir -p "$DOCKER_DATA" "$DOCKER_EXEC"
  # Claimed before the engine starts: an engine that was killed re-creates
  # the bridge of its saved lab network as soon as it comes up.
  claim_link "$DOCKER_NET_IF"
  # An explicit config file, so /etc/docker/daemon.json can't leak in; the
  # engine's identity key goes to .lab instead of /etc/docker/key.json.
  printf '{"deprecated-key-path": %s}\n' "$(json_str "$DOCKER_KEY")" >"$DOCKER_CONFIG_FILE"
  log "starting dockerd"
  # --iptables/--ip-masq/--ip-forward=false: leave the host's firewall and
  # sysctls alone; lab traffic stays on br-lab. --bridge=none: no docker0.
  setsid dockerd \
    --data-root "$DOCKER_DATA" \
    --exec-root "$DOCKER_EXEC" \
    -H "unix://$DOCKER_SOCK" \
    --pidfile "$DOCKER_PIDFILE" \
    --config-file "$DOCKER_CONFIG_FILE" \
    --containerd "$CTD_SOCK" \
    --containerd-namespace "$CTD_NAMESPACE" \
    --containerd-plugins-namespace "$CTD_NAMESPACE-plugins" \
    --iptables=false --ip-masq=false --ip-forward=false \
    --bridge=none --userland-proxy=false \
    </dev/null >>"$DOCKER_LOG" 2>&1 &
  local pid=$! tries=600
  until docker_answers; do
    pid_running "$pid" || { tail -n 30 "$DOCKER_LOG" >&2; die "dockerd exited during startup (log: $DOCKER_LOG)"; }
    ((tries-- > 0)) || { tail -n 30 "$DOCKER_LOG" >&2; die "dockerd did not answer on $DOCKER_SOCK within 60s (log: $DOCKER_LOG)"; }
    sleep 0.1
  done
}

# No registry is reachable: build the image offline from Debian's static
# busybox. /www is the (empty) document root for the httpd listeners.
ensure_image() {
  dk image inspect "$IMAGE" >/dev/null 2>&1 && return 0
  log "building image $IMAGE from /bin/busybox (busybox-static)"
  local rootfs="$LAB_DIR/rootfs"
  rm -rf "$rootfs"
  mkdir -p "$rootfs/bin" "$rootfs/www" "$rootfs/tmp"
  cp /bin/busybox "$rootfs/bin/busybox"
  ln -s busybox "$rootfs/bin/sh"
  ln -s busybox "$rootfs/bin/sleep"
  echo "microseg lab" >"$rootfs/www/index.html"
  tar -C "$rootfs" -c . | dk import -c 'CMD ["sh"]' - "$IMAGE" >/dev/null
  rm -rf "$rootfs"
}

# ------------------------------------------------------------ Open vSwitch ----

ovs_answers() {
  lab_pid "$OVSDB_PIDFILE" >/dev/null && lab_pid "$VSWITCHD_PIDFILE" >/dev/null &&
    vsctl br-exists "$BRIDGE" 2>/dev/null
}

start_ovs() {
  # A fresh database every start: the lab's OVS holds no state worth keeping.
  rm -rf "$OVS_DIR"
  mkdir -p "$OVS_DIR"
  ovsdb-tool create "$OVS_DB" "$OVS_SCHEMA"
  log "starting ovsdb-server"
  ovsdb-server "$OVS_DB" --remote="punix:$OVS_DB_SOCK" \
    --pidfile="$OVSDB_PIDFILE" -vconsole:off --log-file="$OVS_DIR/ovsdb-server.log" \
    --no-chdir --detach
  vsctl --no-wait init
  # The userspace datapath makes kernel tap devices named ovs-netdev and
  # after the bridge; make sure nobody else's OVS owns them already.
  claim_link ovs-netdev
  claim_link "$BRIDGE"
  log "starting ovs-vswitchd"
  # Plain --enable-dummy (not =override): real veth ports must carry packets.
  ovs-vswitchd "unix:$OVS_DB_SOCK" \
    --pidfile="$VSWITCHD_PIDFILE" -vconsole:off --log-file="$OVS_DIR/ovs-vswitchd.log" \
    --no-chdir --detach --enable-dummy
  # protocols: deploys use `ovs-ofctl --bundle`, which needs OpenFlow 1.4+.
  vsctl add-br "$BRIDGE" -- set Bridge "$BRIDGE" datapath_type=netdev \
    protocols="$OF_PROTOCOLS"
  ovs-ofctl dump-flows "$BRIDGE" | grep -q 'actions=NORMAL' ||
    die "bridge $BRIDGE has no default NORMAL flow (log: $OVS_DIR/ovs-vswitchd.log)"
}

# ------------------------------------------------------------------- sshd ----

port_busy() { ss -Htln "sport = :$1" | grep -q .; }

pick_ssh_port() {
  local port
  for ((port = SSH_FIRST_PORT; port <= SSH_LAST_PORT; port++)); do
    port_busy "$port" || { echo "$port"; return 0; }
  done
  die "no free TCP port in $SSH_FIRST_PORT-$SSH_LAST_PORT for the lab sshd"
}

ssh_lab() { # ssh into the lab sshd with the lab key; host key checked strictly
  ssh -F /dev/null -i "$SSH_CLIENT_KEY" -p "$(cat "$SSH_PORT_FILE")" \
    -o BatchMode=yes -o IdentitiesOnly=yes -o ConnectTimeout=5 \
    -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$SSH_KNOWN_HOSTS" \
    -o LogLevel=ERROR root@127.0.0.1 "$@"
}

start_sshd() {
  mkdir -p /run/sshd "$SSH_DIR"
  chmod 700 "$SSH_DIR"
  # Keys are kept across restarts so users' clients keep working.
  [[ -f "$SSH_HOST_KEY" ]] || ssh-keygen -q -t ed25519 -N '' -C microseg-lab-host -f "$SSH_HOST_KEY"
  [[ -f "$SSH_CLIENT_KEY" ]] || ssh-keygen -q -t ed25519 -N '' -C microseg-lab -f "$SSH_CLIENT_KEY"
  install -m 600 "$SSH_CLIENT_KEY.pub" "$SSH_AUTH_KEYS"
  local port
  port=$(pick_ssh_port)
  echo "$port" >"$SSH_PORT_FILE"
  echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$SSH_HOST_KEY.pub")" >"$SSH_KNOWN_HOSTS"
  cat >"$SSHD_CONFIG" <<EOF
# Written by scripts/lab/lab.sh: the lab's "OVS host", loopback only.
ListenAddress 127.0.0.1:$port
HostKey $SSH_HOST_KEY
PidFile $SSHD_PIDFILE
AuthorizedKeysFile $SSH_AUTH_KEYS
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
# The repo may sit under a group-writable tree in CI; the key file is ours.
StrictModes no
X11Forwarding no
AllowAgentForwarding no
PrintMotd no
Subsystem sftp internal-sftp
# Logins reach the lab's OVS (and Docker engine), not any system one.
SetEnv OVS_RUNDIR=$OVS_DIR DOCKER_HOST=unix://$DOCKER_SOCK
EOF
  chmod 600 "$SSHD_CONFIG"
  /usr/sbin/sshd -t -f "$SSHD_CONFIG" || die "sshd rejected $SSHD_CONFIG"
  log "starting sshd on 127.0.0.1:$port"
  /usr/sbin/sshd -f "$SSHD_CONFIG" -E "$SSHD_LOG"
  local tries=100
  until lab_pid "$SSHD_PIDFILE" >/dev/null && port_busy "$port"; do
    ((tries-- > 0)) || { tail -n 20 "$SSHD_LOG" >&2; die "sshd did not start (log: $SSHD_LOG)"; }
    sleep 0.1
  done
}

verify_ssh() {
  local out
  out=$(ssh_lab ovs-ofctl dump-flows "$BRIDGE" 2>&1) ||
    { tail -n 20 "$SSHD_LOG" >&2; die "ssh login to the lab failed: $out"; }
  grep -q 'actions=NORMAL' <<<"$out" || die "ssh login did not reach the lab OVS: $out"
}

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
    vsctl -- --may-exist add-port "$BRIDGE" "$veth" \
      -- set Interface "$veth" external_ids:lab-container="$name"
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

# ---------------------------------------------------------- user-facing ----

create_context() {
  docker context rm -f "$CONTEXT" >/dev/null 2>&1 || true
  docker context create "$CONTEXT" --description "Microseg Designer lab engine" \
    --docker "host=unix://$DOCKER_SOCK" >/dev/null 2>&1 ||
    die "could not create docker context $CONTEXT"
}

write_lab_files() {
  local host_name port first=1 spec name tier service
  host_name=$(dk info --format '{{.Name}}')
  port=$(cat "$SSH_PORT_FILE")
  {
    printf '{\n'
    printf '  "dockerHost": %s,\n' "$(json_str "unix://$DOCKER_SOCK")"
    printf '  "dockerContext": %s,\n' "$(json_str "$CONTEXT")"
    printf '  "hostName": %s,\n' "$(json_str "$host_name")"
    printf '  "bridge": %s,\n' "$(json_str "$BRIDGE")"
    printf '  "ovsRundir": %s,\n' "$(json_str "$OVS_DIR")"
    printf '  "ssh": {"host": "127.0.0.1", "port": %s, "user": "root", "keyPath": %s, "knownHostsPath": %s},\n' \
      "$port" "$(json_str "$SSH_CLIENT_KEY")" "$(json_str "$SSH_KNOWN_HOSTS")"
    printf '  "subnet": %s,\n' "$(json_str "$SUBNET")"
    printf '  "containers": [\n'
    for spec in "${CONTAINERS[@]}"; do
      IFS=: read -r name tier service <<<"$spec"
      ((first)) || printf ',\n'
      first=0
      printf '    {"name": %s, "ip": %s, "mac": %s, "ovsPort": %s, "labels": {"tier": %s, "com.docker.compose.service": %s, "com.docker.compose.project": %s}}' \
        "$(json_str "$name")" "$(json_str "$(container_ip "$name")")" \
        "$(json_str "$(container_mac "$name")")" "$(json_str "$(container_port "$name")")" \
        "$(json_str "$tier")" "$(json_str "$service")" "$(json_str "$COMPOSE_PROJECT")"
    done
    printf '\n  ]\n}\n'
  } >"$LAB_JSON.tmp"
  mv "$LAB_JSON.tmp" "$LAB_JSON"
  cat >"$LAB_ENV" <<EOF
# Written by scripts/lab/lab.sh; use with: source .lab/lab.env
export DOCKER_HOST='unix://$DOCKER_SOCK'
export OVS_RUNDIR='$OVS_DIR'
export LAB_SSH_PORT='$port'
export LAB_SSH_KEY='$SSH_CLIENT_KEY'
export LAB_SSH_KNOWN_HOSTS='$SSH_KNOWN_HOSTS'
EOF
}

print_summary() {
  local port spec name
  port=$(cat "$SSH_PORT_FILE")
  echo
  echo "Microseg lab is running (state in $LAB_DIR)"
  echo "  docker : DOCKER_HOST=unix://$DOCKER_SOCK   (or: docker --context $CONTEXT ...)"
  echo "  ovs    : OVS_RUNDIR=$OVS_DIR ovs-ofctl dump-flows $BRIDGE"
  echo "  ssh    : ssh -i $SSH_CLIENT_KEY -p $port root@127.0.0.1"
  echo "  files  : $LAB_JSON, $LAB_ENV"
  echo "  containers on $BRIDGE ($SUBNET), each listening on TCP ${LISTEN_PORTS// /, }:"
  for spec in "${CONTAINERS[@]}"; do
    name=${spec%%:*}
    printf '    %-5s %-12s tier=%s\n' "$name" "$(container_ip "$name")" "$(echo "$spec" | cut -d: -f2)"
  done
  echo "  probe  : scripts/lab/probe.sh web1 <ip> 5432"
}

# --------------------------------------------------------------- commands ----

lab_healthy() {
  lab_pid "$CTD_PIDFILE" >/dev/null && lab_pid "$DOCKER_PIDFILE" >/dev/null && docker_answers &&
    ovs_answers && lab_pid "$SSHD_PIDFILE" >/dev/null && [[ -s "$SSH_PORT_FILE" ]] &&
    containers_healthy && [[ -s "$LAB_JSON" && -s "$LAB_ENV" ]] &&
    ssh_lab true >/dev/null 2>&1
}

# Anything of ours still around (processes, interfaces, sockets)?
lab_leftovers() {
  local f name
  for f in "$CTD_PIDFILE" "$DOCKER_PIDFILE" "$OVSDB_PIDFILE" "$VSWITCHD_PIDFILE" "$SSHD_PIDFILE"; do
    lab_pid "$f" >/dev/null && return 0
  done
  if [[ -s "$LINKS_FILE" ]]; then
    while read -r name; do link_exists "$name" && return 0; done <"$LINKS_FILE"
  fi
  [[ -e "$LAB_JSON" || -e "$DOCKER_SOCK" || -e "$CTD_SOCK" ]]
}

cmd_start() {
  local t0=$SECONDS
  check_packages
  check_root
  check_paths
  mkdir -p "$LAB_DIR"
  if lab_healthy; then
    log "already running"
    print_summary
    return 0
  fi
  if lab_leftovers; then
    log "found a half-started or stale lab; cleaning it up first"
    cmd_stop
  fi
  start_containerd
  start_dockerd
  ensure_image
  start_ovs
  start_sshd
  start_containers
  attach_containers
  verify_connectivity
  verify_ssh
  create_context
  write_lab_files
  log "started in $((SECONDS - t0))s"
  print_summary
}

# Remove everything in our engine: the engine is private, so all of it is ours.
remove_docker_objects() {
  docker_answers || return 0
  local ids
  ids=$(dk ps -aq) || { warn "could not list the lab engine's containers"; return 0; }
  if [[ -n "$ids" ]]; then
    log "removing containers"
    # shellcheck disable=SC2086 # one id per word
    timeout 60 docker -H "unix://$DOCKER_SOCK" rm -f $ids >/dev/null || warn "could not remove all containers"
  fi
  if dk network inspect "$DOCKER_NET" >/dev/null 2>&1; then
    dk network rm "$DOCKER_NET" >/dev/null || warn "could not remove network $DOCKER_NET"
  fi
}

# Only after an unclean dockerd exit: containers still known to runc under
# our exec-root (dockerd's runc state dir) are killed and deleted through it.
stop_orphan_containers() {
  local root="$DOCKER_EXEC/runtime-runc/$CTD_NAMESPACE" id
  [[ -d "$root" ]] || return 0
  for id in $(runc --root "$root" list -q 2>/dev/null); do
    log "deleting orphaned container $id"
    runc --root "$root" delete --force "$id" 2>/dev/null || warn "runc could not delete $id"
  done
}

# containerd-shim-runc-v2 processes can outlive a killed containerd. They
# write no pidfile; each one's argv names the containerd socket it serves
# (`-address <our socket>`), which is unique to this lab, so end those PIDs.
stop_orphan_shims() {
  local d pid
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    [[ "$(readlink "$d/exe" 2>/dev/null)" == */containerd-shim* ]] || continue
    tr '\0' '\n' <"$d/cmdline" 2>/dev/null | grep -qxF -- "$CTD_SOCK" || continue
    log "stopping orphaned containerd-shim (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    wait_gone "$pid" 5 || kill -KILL "$pid" 2>/dev/null || true
  done
}

# `exit --cleanup` makes ovs-vswitchd delete its datapath, and with it the
# kernel tap devices (ovs-netdev, br-lab); a plain TERM leaves them behind.
# The pidfile still backs it up.
stop_vswitchd() {
  local pid
  if pid=$(lab_pid "$VSWITCHD_PIDFILE"); then
    log "stopping ovs-vswitchd (pid $pid)"
    ovs-appctl --timeout=5 -t "$OVS_DIR/ovs-vswitchd.$pid.ctl" exit --cleanup >/dev/null 2>&1 || true
    wait_gone "$pid" 10 || true
  fi
  stop_pidfile ovs-vswitchd "$VSWITCHD_PIDFILE" 15
}

mounts_below_lab() { awk -v d="$LAB_DIR/" 'index($2, d) == 1' /proc/self/mounts | grep -q .; }

# Mounts left below .lab by a daemon that died uncleanly (deepest first).
unmount_leftovers() {
  local m
  awk -v d="$LAB_DIR/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null || warn "could not unmount $m"; done
}

delete_leftover_links() {
  local name
  [[ -s "$LINKS_FILE" ]] || return 0
  while read -r name; do
    if link_exists "$name"; then
      log "deleting leftover interface $name"
      ip link del "$name" 2>/dev/null || warn "could not delete interface $name"
    fi
  done <"$LINKS_FILE"
  rm -f "$LINKS_FILE"
}

cmd_stop() {
  check_root
  local t0=$SECONDS
  remove_docker_objects
  stop_pidfile dockerd "$DOCKER_PIDFILE" 30
  stop_orphan_containers
  stop_orphan_shims
  stop_pidfile containerd "$CTD_PIDFILE" 15
  stop_vswitchd
  stop_pidfile ovsdb-server "$OVSDB_PIDFILE" 10
  stop_pidfile sshd "$SSHD_PIDFILE" 10
  if docker context inspect "$CONTEXT" >/dev/null 2>&1; then
    docker context rm -f "$CONTEXT" >/dev/null || warn "could not remove docker context $CONTEXT"
  fi
  unmount_leftovers
  delete_leftover_links
  remove_host_dirs
  rm -f "$LAB_JSON" "$LAB_ENV" "$DOCKER_SOCK" "$CTD_SOCK" "$CTD_SOCK.ttrpc"
  # Runtime state only (images, keys and logs stay); never delete through a
  # mount point that is somehow still there.
  if mounts_below_lab; then
    warn "mounts remain below $LAB_DIR; leaving runtime directories in place"
  else
    rm -rf "$DOCKER_EXEC" "$CTD_STATE"
  fi
  log "stopped in $((SECONDS - t0))s"
}

status_line() { # name pidfile
  local pid
  if pid=$(lab_pid "$2"); then printf '  %-13s running (pid %s)\n' "$1" "$pid"
  else printf '  %-13s stopped\n' "$1"; fi
}

cmd_status() {
  echo "Microseg lab ($LAB_DIR):"
  ((EUID == 0)) || echo "  (not root: pidfiles and sockets may be unreadable, so this may be incomplete)"
  status_line containerd "$CTD_PIDFILE"
  status_line dockerd "$DOCKER_PIDFILE"
  status_line ovsdb-server "$OVSDB_PIDFILE"
  status_line ovs-vswitchd "$VSWITCHD_PIDFILE"
  status_line sshd "$SSHD_PIDFILE"
  if lab_pid "$SSHD_PIDFILE" >/dev/null && [[ -s "$SSH_PORT_FILE" ]]; then
    printf '  %-13s 127.0.0.1:%s\n' "ssh port" "$(cat "$SSH_PORT_FILE")"
  fi
  if docker_answers; then
    echo "  containers:"
    dk ps -a --format '{{.Names}} {{.Status}} (tier={{.Label "tier"}})' | sed 's/^/    /'
  fi
  if ovs_answers; then
    echo "  $BRIDGE ports: $(vsctl list-ports "$BRIDGE" | tr '\n' ' ')"
  fi
  if lab_healthy 2>/dev/null; then echo "  overall: healthy"; return 0; fi
  # Non-zero unless healthy, so scripts (npm test) can ask "is the lab up?" with the exit code.
  if lab_leftovers; then echo "  overall: partly running (npm run lab restarts it, npm run lab -- stop cleans up)"
  else echo "  overall: stopped"; fi
  return 3
}

main() {
  LAB_CMD=${1:-start}
  case "$LAB_CMD" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status || exit $? ;;
    -h | --help | help) sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
    *) die "unknown command '$LAB_CMD' (use start, stop or status)" ;;
  esac
}

main "$@"
