#!/bin/sh
# Start the standalone ActionCable test server; prints "LISTENING <port>".
# Works from any directory; writes nothing into the source tree.
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
cd "${TMPDIR:-/tmp}" || exit 1
exec ruby "$here/server.rb" "$@"
