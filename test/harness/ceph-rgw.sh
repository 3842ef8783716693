#!/usr/bin/env bash
# test/harness/ceph-rgw.sh — a throw-away, single-node Ceph cluster whose RADOS Gateway (RGW) is a real
# S3 for tests: 1 mon + 1 osd (memstore: objects in RAM) + 1 radosgw, no mgr, no systemd, no cephx,
# everything on 127.0.0.1 and under $CEPH_DIR. Cold start takes about 1.5 s.
#
# Needs the Debian 12 (bookworm) packages, Ceph 16.2 "pacific":
#   apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common
#
# Usage:
#   test/harness/ceph-rgw.sh start    wipe $CEPH_DIR, create and start everything; stdout gets the
#                                   S3_* lines for the app (progress goes to stderr), e.g.
#                                     set -a; eval "$(test/harness/ceph-rgw.sh start)"; set +a
#   test/harness/ceph-rgw.sh resume   restart the daemons on the existing $CEPH_DIR after a clean `stop`
#   test/harness/ceph-rgw.sh stop     stop the daemons this script started (by recorded PID); always exit 0
#   test/harness/ceph-rgw.sh status   PIDs and `ceph -s`; exit 0 when radosgw answers, 3 otherwise
#   test/harness/ceph-rgw.sh env      print the S3_* lines again
#
# Env knobs (all optional):
#   CEPH_DIR=${TMPDIR:-/tmp}/avatar-relay-ceph   RGW_PORT=7480   MON_PORT=40100
#   OSD_PORT_MIN=6800 OSD_PORT_MAX=7300          ports the OSD may bind (Ceph's default range)
#   RGW_LC_DEBUG_INTERVAL=0     >0: a lifecycle "day" lasts that many seconds (e.g. 5 for tests)
#   CEPH_S3_ACCESS_KEY_ID=avatar-relay-test  CEPH_S3_SECRET_ACCESS_KEY=avatar-relay-test-secret-0123456789
#   MEMSTORE_BYTES=2147483648   max bytes the in-RAM OSD accepts (RAM is only used as it fills)
#   CEPH_STOP_GRACE=10          `stop`: seconds each daemon gets after SIGTERM before SIGKILL. With
#                               RGW_LC_DEBUG_INTERVAL>0 radosgw often needs 4-10 s to exit (its lifecycle
#                               worker); a throw-away cluster can use 2 (the OSD then may not save its data).
#
# The daemons run in their own sessions and outlive this script: always call `stop` (CI: in a
# trap/finally). memstore keeps data in RAM; `stop` (SIGTERM) dumps it to $CEPH_DIR so `resume`
# gets it back; after kill -9 use `start` again (it always wipes).
#
# Three settings matter (see write_conf): the [client] section (without it radosgw hangs forever
# on "get_initial_auth_request returned -13" when auth is off), `paxos propose interval = 0.05`
# (default 1 s: ~12 s start, ~4 s first CreateBucket) and `osd fast shutdown = false` (memstore
# only saves its data on a clean umount).
set -euo pipefail

CEPH_DIR=${CEPH_DIR:-${TMPDIR:-/tmp}/avatar-relay-ceph}
RGW_PORT=${RGW_PORT:-7480}
MON_PORT=${MON_PORT:-40100}
OSD_PORT_MIN=${OSD_PORT_MIN:-6800}
OSD_PORT_MAX=${OSD_PORT_MAX:-7300}
RGW_LC_DEBUG_INTERVAL=${RGW_LC_DEBUG_INTERVAL:-0}
ACCESS_KEY_ID=${CEPH_S3_ACCESS_KEY_ID:-avatar-relay-test}
SECRET_ACCESS_KEY=${CEPH_S3_SECRET_ACCESS_KEY:-avatar-relay-test-secret-0123456789}
S3_UID=avatar-relay-test
MEMSTORE_BYTES=${MEMSTORE_BYTES:-2147483648}
CEPH_STOP_GRACE=${CEPH_STOP_GRACE:-10}
APT_LINE="apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common"

CONF=$CEPH_DIR/ceph.conf
RUN=$CEPH_DIR/run
LOG=$CEPH_DIR/log
T0=${EPOCHREALTIME/,/.}

log() {
  local now=${EPOCHREALTIME/,/.}
  local ms=$(( (${now%.*} - ${T0%.*}) * 1000 + (10#${now#*.} - 10#${T0#*.}) / 1000 ))
  printf '[ceph-rgw %3d.%03ds] %s\n' $((ms / 1000)) $((ms % 1000)) "$*" >&2
}
die() { echo "ceph-rgw.sh: ERROR: $*" >&2; exit 1; }
cephc() { timeout 20 ceph -c "$CONF" --connect-timeout 10 "$@"; }
alive() { [ -e "/proc/$1" ] && ! grep -q '^[^)]*) Z' "/proc/$1/stat" 2>/dev/null; }

# The recorded PID is still one of our daemons (and not an unrelated process that reused the PID).
ours() {
  local pid=$1 exe=$2
  local -a argv
  alive "$pid" || return 1
  mapfile -d '' argv <"/proc/$pid/cmdline" 2>/dev/null || return 1
  [ "${argv[0]##*/}" = "$exe" ] || return 1
  [[ " ${argv[*]} " == *" -c $CONF "* ]]
}

# wait_for <timeout-seconds> <description> <command...>
wait_for() {
  local t=$1 what=$2; shift 2
  local end=$((SECONDS + t))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$end" ] || { echo "ceph-rgw.sh: timeout waiting for $what" >&2; return 1; }
    sleep 0.1
  done
}

# http_status <port>: status code of `GET /` on 127.0.0.1:<port> (bash /dev/tcp, so curl is not needed)
http_status() {
  local line
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
  IFS=' ' read -r -t 5 _ line _ <&3 || { exec 3<&-; return 1; }
  exec 3<&-
  echo "$line"
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
rgw_up() { [ "$(http_status "$RGW_PORT" 2>/dev/null)" = 200 ]; }

# launch <name> <exe> <args...>: run a daemon in the foreground (-f) of its own session, record its PID
launch() {
  local name=$1; shift
  setsid "$@" >"$LOG/$name.stdout" 2>&1 </dev/null &
  echo $! >"$RUN/$name.launch.pid"
}

stop_all() {
  # reverse order; only PIDs this script recorded and that still run our daemon; SIGTERM, then SIGKILL
  local name exe pid f stopped=0 tenths
  [[ "$CEPH_STOP_GRACE" =~ ^[0-9]+$ ]] || CEPH_STOP_GRACE=10
  tenths=$((CEPH_STOP_GRACE * 10))
  for name in rgw osd mon; do
    f=$RUN/$name.launch.pid
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    case $name in rgw) exe=radosgw ;; osd) exe=ceph-osd ;; mon) exe=ceph-mon ;; esac
    if ours "$pid" "$exe"; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 "$tenths"); do alive "$pid" || break; sleep 0.1; done
      if alive "$pid"; then
        echo "ceph-rgw.sh: $name (pid $pid) still running $CEPH_STOP_GRACE s after SIGTERM; sending SIGKILL" >&2
        kill -KILL "$pid" 2>/dev/null || true
      fi
      stopped=$((stopped + 1))
    fi
    rm -f "$f"
  done
  echo "$stopped"
}

status() {
  local name exe f rc=3
  for name in mon osd rgw; do
    f=$RUN/$name.launch.pid
    case $name in rgw) exe=radosgw ;; osd) exe=ceph-osd ;; mon) exe=ceph-mon ;; esac
    if [ -f "$f" ] && ours "$(cat "$f")" "$exe"; then echo "$name: running, pid $(cat "$f")"; else echo "$name: not running"; fi
  done
  if rgw_up; then echo "radosgw: answering on http://127.0.0.1:$RGW_PORT"; rc=0; else echo "radosgw: not answering on http://127.0.0.1:$RGW_PORT"; fi
  if [ -f "$CONF" ] && command -v ceph >/dev/null && [ -f "$RUN/mon.launch.pid" ]; then cephc -s 2>&1 || true; fi
  return $rc
}

print_env() {
  cat <<EOF
S3_ENDPOINT=http://127.0.0.1:$RGW_PORT
S3_ACCESS_KEY_ID=$ACCESS_KEY_ID
S3_SECRET_ACCESS_KEY=$SECRET_ACCESS_KEY
S3_REGION=us-east-1
S3_FORCE_PATH_STYLE=true
EOF
}

write_conf() {
  local fsid=$1
  cat >"$CONF" <<EOF
# written by test/harness/ceph-rgw.sh — throw-away test cluster, do not use for anything else
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$MON_PORT]
public addr = 127.0.0.1
ms bind ipv6 = false
ms bind port min = $OSD_PORT_MIN
ms bind port max = $OSD_PORT_MAX
auth cluster required = none
auth service required = none
auth client required = none
run dir = $RUN
admin socket = $RUN/\$name.asok
pid file = $RUN/\$name.pid
log file = $LOG/\$name.log
log to stderr = false
err to stderr = true
mon cluster log file = $LOG/cluster.log
crash dir = $CEPH_DIR/crash
keyring = $CEPH_DIR/keyring
# one copy, small pools, no autoscaler (there is no mgr)
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon warn on insecure global id reclaim allowed = false
mon max pg per osd = 1000
mon data avail warn = 2
mon data avail crit = 1
# Commit monitor changes at once: radosgw creates ~7 pools one after the other at start-up and each
# waits for a paxos round (default 1 s => ~12 s start and ~4 s for the first CreateBucket).
paxos propose interval = 0.05
paxos min wait = 0.01
# small footprint on a 2-core machine
osd op num shards = 1
osd op num threads per shard = 2

[mon]
mon data = $CEPH_DIR/mon.\$id

[osd]
osd data = $CEPH_DIR/osd.\$id
osd objectstore = memstore
# memstore writes its contents to disk only on a clean umount, which "fast shutdown" skips
osd fast shutdown = false
memstore device bytes = $MEMSTORE_BYTES
osd max object name len = 460
osd max object namespace len = 64

[client]
# radosgw's compiled-in defaults are ms_mon_client_mode=secure + auth_client_required=cephx;
# with auth off that fails forever ("get_initial_auth_request returned -13"). Also lets
# radosgw-admin and ceph talk to the mon.
ms mon client mode = crc
auth client required = none

[client.rgw.a]
rgw data = $CEPH_DIR/rgw.a
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT tcp_nodelay=1
rgw thread pool size = 64
rgw dns name = localhost
rgw lc debug interval = $RGW_LC_DEBUG_INTERVAL
EOF
}

start_mon() {
  launch mon ceph-mon -c "$CONF" -i a -f
  wait_for 60 "ceph-mon" cephc mon stat || { tail -20 "$LOG/mon.a.log" >&2; die "ceph-mon did not come up (log: $LOG/mon.a.log)"; }
  log "mon up (pid $(cat "$RUN/mon.launch.pid"), 127.0.0.1:$MON_PORT)"
}
# Ask the OSD itself: after kill -9 the mon may still list the dead instance as "up".
osd_up() { timeout 5 ceph --admin-daemon "$RUN/osd.0.asok" status 2>/dev/null | grep -q '"state": "active"'; }
start_osd() {
  launch osd ceph-osd -c "$CONF" -i 0 -f
  wait_for 90 "ceph-osd" osd_up || { tail -30 "$LOG/osd.0.log" >&2; die "ceph-osd did not come up (log: $LOG/osd.0.log)"; }
  log "osd up (pid $(cat "$RUN/osd.launch.pid"), memstore)"
}
start_rgw() {
  launch rgw radosgw -c "$CONF" -n client.rgw.a -f
  wait_for "$1" "radosgw on 127.0.0.1:$RGW_PORT" rgw_up || { tail -30 "$LOG/client.rgw.a.log" >&2; return 1; }
  log "radosgw answering on http://127.0.0.1:$RGW_PORT (pid $(cat "$RUN/rgw.launch.pid"))"
}

MODE=${1:-}
case "$MODE" in
  stop)
    if [ -d "$RUN" ]; then n=$(stop_all); else n=0; fi
    if [ "$n" = 0 ]; then echo "ceph-rgw.sh: nothing to stop in $CEPH_DIR" >&2; else echo "ceph-rgw.sh: stopped $n daemon(s) ($CEPH_DIR)" >&2; fi
    exit 0 ;;
  status) status; exit $? ;;
  env) print_env; exit 0 ;;
  start | resume) ;;
  *) echo "usage: $0 start|stop|status|resume|env   (see the header of this file for the env knobs)" >&2; exit 2 ;;
esac

for b in setsid timeout; do
  command -v "$b" >/dev/null 2>&1 || die "missing $b (Debian packages util-linux / coreutils)"
done
missing=()
for b in ceph ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph-authtool; do
  command -v "$b" >/dev/null 2>&1 || missing+=("$b")
done
if [ ${#missing[@]} -gt 0 ]; then
  die "Ceph is not installed (missing: ${missing[*]}). Install it (Debian 12 / Ubuntu, as root):
  apt-get update && $APT_LINE"
fi
[[ "$RGW_LC_DEBUG_INTERVAL" =~ ^[0-9]+$ ]] || die "RGW_LC_DEBUG_INTERVAL must be a whole number of seconds, got '$RGW_LC_DEBUG_INTERVAL'"

# Our own earlier cluster in the same CEPH_DIR is stopped first; anything else on our ports is an error.
if [ -d "$RUN" ]; then stop_all >/dev/null; fi
for p in "$RGW_PORT" "$MON_PORT"; do
  port_open "$p" && die "something else already listens on 127.0.0.1:$p (set RGW_PORT / MON_PORT, or stop it)"
done

trap 'rc=$?; if [ $rc -ne 0 ]; then echo "ceph-rgw.sh: $MODE failed (rc=$rc); stopping the daemons; logs in $LOG" >&2; stop_all >/dev/null; fi' EXIT

if [ "$MODE" = resume ]; then
  [ -f "$CONF" ] || die "no cluster in $CEPH_DIR; use: $0 start"
  start_mon
  start_osd
  # after kill -9 a memstore OSD comes back empty and radosgw hangs on its pools
  start_rgw 30 || die "radosgw did not come back (memstore data lost after an unclean stop?); use: $0 start"
  print_env
  exit 0
fi

case "$CEPH_DIR" in "" | / | /tmp | /var/tmp | "$HOME") die "refusing to wipe CEPH_DIR='$CEPH_DIR'" ;; esac
rm -rf "$CEPH_DIR"
mkdir -p "$RUN" "$LOG" "$CEPH_DIR/mon.a" "$CEPH_DIR/osd.0" "$CEPH_DIR/rgw.a" "$CEPH_DIR/crash"
FSID=$(cat /proc/sys/kernel/random/uuid)
write_conf "$FSID"

# --- mon ------------------------------------------------------------------------------------------
ceph-authtool --create-keyring "$CEPH_DIR/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT]" "$CEPH_DIR/monmap" >/dev/null
ceph-mon -c "$CONF" --mkfs -i a --monmap "$CEPH_DIR/monmap" --keyring "$CEPH_DIR/keyring" >"$LOG/mon.a.mkfs.log" 2>&1 \
  || { cat "$LOG/mon.a.mkfs.log" >&2; die "ceph-mon --mkfs failed"; }
start_mon

# --- osd ------------------------------------------------------------------------------------------
OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
OSD_ID=$(cephc osd new "$OSD_UUID")
[ "$OSD_ID" = 0 ] || die "unexpected osd id '$OSD_ID'"
ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$OSD_UUID" >"$LOG/osd.0.mkfs.log" 2>&1 \
  || { cat "$LOG/osd.0.mkfs.log" >&2; die "ceph-osd --mkfs failed"; }
start_osd

# --- radosgw --------------------------------------------------------------------------------------
start_rgw 120 || die "radosgw did not answer (log: $LOG/client.rgw.a.log)"

# --- S3 user --------------------------------------------------------------------------------------
timeout 60 radosgw-admin -c "$CONF" user create --uid="$S3_UID" --display-name="$S3_UID" \
  --access-key="$ACCESS_KEY_ID" --secret-key="$SECRET_ACCESS_KEY" >"$LOG/user-create.json" 2>"$LOG/user-create.err" \
  || { cat "$LOG/user-create.err" >&2; die "radosgw-admin user create failed"; }
if [ "$((10#$RGW_LC_DEBUG_INTERVAL))" -gt 0 ]; then day="$((10#$RGW_LC_DEBUG_INTERVAL)) s (RGW_LC_DEBUG_INTERVAL)"; else day="86400 s"; fi
log "S3 user '$S3_UID' created; a lifecycle day lasts $day"
print_env
