# shellcheck shell=bash
# Sourced by scripts/lab/lab.sh: paths and names, small tools, prerequisites.

# ---------------------------------------------------------------- layout ----

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) # scripts/lab
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

