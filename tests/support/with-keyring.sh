#!/bin/sh
# Runs a test ("$@") on a D-Bus session bus of its own with GNOME Keyring's
# Secret Service on it, its login keyring made and unlocked in a throwaway
# home, so the test sees a real keyring and never the user's own. Both go away
# with the session. Sets NATTER_TEST_KEYRING=1 for the test.
set -eu
if [ -z "${NATTER_IN_KEYRING_SESSION:-}" ]; then
    export NATTER_IN_KEYRING_SESSION=1
    exec dbus-run-session -- "$0" "$@"
fi
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
# --unlock reads the new keyring's password on stdin; the daemon then serves it on this bus.
printf 'natter-test\n' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
export NATTER_TEST_KEYRING=1
"$@"
