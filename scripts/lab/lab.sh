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


# The pieces, one file each; they share the layout set up in common.sh.
# (Lint: cd scripts/lab && shellcheck -x lab.sh probe.sh)
LAB_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib"
# shellcheck source=lib/common.sh
source "$LAB_LIB/common.sh"
# shellcheck source=lib/engine.sh
source "$LAB_LIB/engine.sh"
# shellcheck source=lib/switch.sh
source "$LAB_LIB/switch.sh"
# shellcheck source=lib/containers.sh
source "$LAB_LIB/containers.sh"

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
