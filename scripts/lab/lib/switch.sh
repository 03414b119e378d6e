# shellcheck shell=bash
# Sourced by scripts/lab/lab.sh: the lab's Open vSwitch (userspace datapath) and the sshd whose logins reach it.

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

