#!/bin/sh
# LAN discovery across a real network boundary: two network namespaces joined
# by a veth pair. A headless natter announces in namespace A (10.77.0.1);
# `natter discover` in namespace B (10.77.0.2) must hear it at 10.77.0.1 with
# the server's port, and a client in B then registers, opens a room and sends
# a message through the address it discovered.
#
# Needs root (or CAP_SYS_ADMIN + CAP_NET_ADMIN) and iproute2. Where network
# namespaces cannot be created it exits 77, which CTest reports as skipped.
#
# Usage: NATTER_BINARY=/path/to/natter tests/discovery/netns_discovery.sh

set -eu

SKIP=77
natter=${NATTER_BINARY:?set NATTER_BINARY to the natter executable}
suffix=$$
ns_a=natter-disc-a-$suffix
ns_b=natter-disc-b-$suffix
veth_a=ndA$suffix
veth_b=ndB$suffix
work=$(mktemp -d)
server_pid=
# `ip netns add` mounts /run/netns the first time; undo that if we were first,
# so a failed attempt (e.g. inside a chroot) leaves no mount behind.
run_netns_was_mounted=no
mountpoint -q /run/netns 2>/dev/null && run_netns_was_mounted=yes

cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    ip netns del "$ns_a" 2>/dev/null || true # the veth pair goes with it
    ip netns del "$ns_b" 2>/dev/null || true
    if [ "$run_netns_was_mounted" = no ] && [ -z "$(ls -A /run/netns 2>/dev/null)" ]; then
        umount /run/netns 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

skip() {
    echo "SKIP: $*" >&2
    exit $SKIP
}
fail() {
    echo "FAIL: $*" >&2
    [ -f "$work/server.err" ] && sed 's/^/server: /' "$work/server.err" >&2
    exit 1
}

command -v ip >/dev/null 2>&1 || skip "'ip' (iproute2) is not installed"
command -v python3 >/dev/null 2>&1 || fail "python3 is needed"
ip netns add "$ns_a" 2>"$work/netns.err" \
    || skip "cannot create network namespaces here (needs root/CAP_SYS_ADMIN): $(cat "$work/netns.err")"
ip netns add "$ns_b" || skip "cannot create a second network namespace"
ip netns exec "$ns_a" true 2>"$work/netns.err" \
    || skip "cannot enter network namespaces here: $(cat "$work/netns.err")"

ip link add "$veth_a" netns "$ns_a" type veth peer name "$veth_b" netns "$ns_b" \
    || skip "cannot create a veth pair here"
ip -n "$ns_a" addr add 10.77.0.1/24 brd + dev "$veth_a"
ip -n "$ns_b" addr add 10.77.0.2/24 brd + dev "$veth_b"
for ns in "$ns_a" "$ns_b"; do ip -n "$ns" link set lo up; done
ip -n "$ns_a" link set "$veth_a" up
ip -n "$ns_b" link set "$veth_b" up

# Every natter here keeps its files in the work directory.
export XDG_DATA_HOME="$work/xdg-data" XDG_CONFIG_HOME="$work/xdg-config" XDG_CACHE_HOME="$work/xdg-cache"

# --- A: the server, announced under a name of its own.
ip netns exec "$ns_a" "$natter" --headless --listen 10.77.0.1:0 --data-dir "$work/server" \
    --name "netns-box-$suffix" >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
line=
for _ in $(seq 100); do # up to 20 s for the one line it prints once it listens
    line=$(head -n 1 "$work/server.out")
    [ -n "$line" ] && break
    kill -0 "$server_pid" 2>/dev/null || fail "the server exited"
    sleep 0.2
done
port=${line##*:}
case "$line" in
    "Natter server listening on http://10.77.0.1:"[0-9]*) ;;
    *) fail "unexpected first line from the server: '$line'" ;;
esac
echo "server in $ns_a listens on 10.77.0.1:$port"

# --- B: discover it.
ip netns exec "$ns_b" "$natter" discover --json --timeout 10 >"$work/discover.out" 2>"$work/discover.err" \
    || fail "natter discover failed: $(cat "$work/discover.err")"
echo "heard in $ns_b:"
cat "$work/discover.out"
url=$(python3 - "$work/discover.out" "netns-box-$suffix" "$port" <<'PY'
import json, sys
path, name, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
for line in open(path):
    server = json.loads(line)
    if server["name"] != name:
        continue
    assert server["host"] == "10.77.0.1", server
    assert server["port"] == port, server
    assert server["url"] == f"http://10.77.0.1:{port}", server
    assert "rooms" in server["dialects"], server
    print(server["url"])
    break
PY
) || fail "discover did not report the server as expected"
[ -n "$url" ] || fail "discover in $ns_b did not hear the server in $ns_a"

# --- B: join through the discovered address: two accounts and a direct room over HTTP...
room=$(ip netns exec "$ns_b" python3 - "$url" <<'PY'
import json, sys, urllib.request
url = sys.argv[1]
def call(path, body, token=None):
    request = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=10) as reply:
        return json.load(reply)
alice = call("/api/auth/register", {"username": "alice", "password": "password123"})
bob = call("/api/auth/register", {"username": "bob", "password": "password123"})
room = call("/api/v1.0/chat/rooms/", {"participant": bob["user"]["id"]}, alice["token"])
print(room["id"])
PY
) || fail "could not register or open a room through $url"

# ...and one message over the rooms WebSocket, with natter cli.
echo "{\"cmd\":\"send\",\"room\":$room,\"text\":\"hello across the veth\",\"temp_id\":\"netns-1\"}" |
    ip netns exec "$ns_b" "$natter" cli --server "$url" --dialect rooms --user alice --password password123 \
        --room "$room" --outbox "$work/outbox.db" --ack-timeout 10 >"$work/cli.out" 2>"$work/cli.err" \
    || fail "natter cli failed: $(cat "$work/cli.err")"
grep -q '"event":"ack"' "$work/cli.out" || fail "no ack for the message: $(cat "$work/cli.out")"

# Bob, also in B, reads it back from the server.
ip netns exec "$ns_b" python3 - "$url" "$room" <<'PY' || fail "bob does not see the message"
import json, sys, urllib.request
url, room = sys.argv[1], sys.argv[2]
body = json.dumps({"username": "bob", "password": "password123"}).encode()
request = urllib.request.Request(url + "/api/auth/login", data=body, headers={"Content-Type": "application/json"})
token = json.load(urllib.request.urlopen(request, timeout=10))["token"]
request = urllib.request.Request(f"{url}/api/v1.0/chat/rooms/{room}/messages/",
                                 headers={"Authorization": "Bearer " + token})
texts = [m.get("content") for m in json.load(urllib.request.urlopen(request, timeout=10))["results"]]
assert "hello across the veth" in texts, texts
PY
echo "PASS: discovered 10.77.0.1:$port from $ns_b and sent a message through it"
