#!/usr/bin/env bash
# Natter's one developer / CI entry point.
#
#   scripts/dev.sh run [natter args...]   install deps, build, run the app
#   scripts/dev.sh test [ctest args...]   install deps, build, run the test suites;
#                                         without args, then also `test-asan`
#   scripts/dev.sh test-asan [ctest args...]  the `sanitize` suites under
#                                         AddressSanitizer + UBSan (preset asan)
#   scripts/dev.sh test-tsan [ctest args...]  the same under ThreadSanitizer (preset tsan)
#   scripts/dev.sh fuzz [TARGET [SECONDS]]  build the libFuzzer targets (preset fuzz)
#                                         and fuzz TARGET (default: all of them, one
#                                         after the other) for SECONDS each (default 30)
#
# Every command first installs any missing Debian packages listed in
# scripts/debian-packages.txt, then configures and builds with the CMake preset
# `ci` (when CI=true) or `dev` (otherwise); test-asan and test-tsan with the
# presets of those names. Works from any directory.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PACKAGES_FILE="$REPO_ROOT/scripts/debian-packages.txt"

# ---------------------------------------------------------------------------
# Arguments `scripts/dev.sh run` passes to natter when the caller gives none:
# none, i.e. the desktop app (`scripts/dev.sh run --headless` for the server).
DEFAULT_RUN_ARGS=()
# ---------------------------------------------------------------------------

# Port scan start for the throwaway PostgreSQL cluster used by `test`.
PG_FIRST_PORT=55432
PG_PORT_ATTEMPTS=50

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

usage() {
    cat >&2 <<'EOF'
Usage:
  scripts/dev.sh run [natter args...]   build and run natter (default: the desktop app)
  scripts/dev.sh test [ctest args...]   build and run all tests; without args,
                                        then also the sanitizer suites (test-asan)
  scripts/dev.sh test-asan [ctest args...]
                                        build (preset asan) and run the suites
                                        labelled `sanitize` under AddressSanitizer,
                                        LeakSanitizer and UBSan
  scripts/dev.sh test-tsan [ctest args...]
                                        the same under ThreadSanitizer (preset tsan)
  scripts/dev.sh fuzz [TARGET [SECONDS]]
                                        build the libFuzzer targets (preset fuzz, clang)
                                        and fuzz TARGET (default: each target) for
                                        SECONDS (default 30); finds go to build/fuzz/finds

Environment:
  CI=true   use the `ci` CMake preset (warnings are errors) and fail if the
            test PostgreSQL cluster cannot be started; otherwise `dev`.
  NATTER_SANITIZERS=0
            `test` without args skips the sanitizer suites and the fuzz smoke run.
EOF
}

is_ci() { [[ "${CI:-}" == "true" ]]; }

as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run: $* (install sudo or run as root)"
    fi
}

# --- Debian packages --------------------------------------------------------

# Print the package names from debian-packages.txt (comments and blanks removed).
wanted_packages() {
    sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$PACKAGES_FILE"
}

ensure_packages() {
    [[ -r "$PACKAGES_FILE" ]] || die "missing package list $PACKAGES_FILE"
    if ! command -v dpkg-query >/dev/null 2>&1; then
        warn "dpkg-query not found (not a Debian system?): skipping package check;" \
            "install the equivalents of $PACKAGES_FILE yourself"
        return 0
    fi

    local pkg status
    local -a missing=()
    while IFS= read -r pkg; do
        status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
        [[ "$status" == "installed" ]] || missing+=("$pkg")
    done < <(wanted_packages)

    ((${#missing[@]} == 0)) && return 0

    log "Installing missing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}"
}

# --- Build ------------------------------------------------------------------

preset() {
    if is_ci; then echo ci; else echo dev; fi
}

build() {
    local p
    p="$(preset)"
    log "Configuring (preset $p)"
    cmake --preset "$p"
    log "Building (preset $p)"
    cmake --build --preset "$p" --parallel "$(nproc)"
}

# --- Throwaway PostgreSQL cluster ------------------------------------------
# pg_start sets PG_DIR / PG_PORT and exports NATTER_TEST_POSTGRES; pg_stop
# stops the cluster and removes PG_DIR (safe to call more than once).

PG_DIR=""
PG_PORT=""
PG_BIN=""
PG_AS=() # command prefix that runs a PostgreSQL binary as the right user

pg_find_bin() {
    local initdb
    initdb="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null |
        sort -V | tail -n 1 || true)"
    [[ -n "$initdb" ]] || return 1
    PG_BIN="$(dirname "$initdb")"
}

# True when nothing seems to use 127.0.0.1:$1.
pg_port_free() {
    local port="$1"
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$port" <<'EOF' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
EOF
    else
        # No python3: treat "something accepts connections" as taken.
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 1; fi
        return 0
    fi
}

pg_run() { "${PG_AS[@]}" "$@"; }

pg_start() {
    pg_find_bin || {
        warn "no PostgreSQL server found under /usr/lib/postgresql/*/bin"
        return 1
    }

    local base="${TMPDIR:-/tmp}"
    if [[ "$(id -u)" -eq 0 ]]; then
        # The server refuses to run as root: run it as the postgres system user.
        id postgres >/dev/null 2>&1 || {
            warn "no 'postgres' system user"
            return 1
        }
        PG_AS=(runuser -u postgres --)
        runuser -u postgres -- test -w "$base" -a -x "$base" 2>/dev/null || base=/tmp
    else
        PG_AS=()
    fi

    PG_DIR="$(mktemp -d "$base/natter-pg.XXXXXX")"
    if [[ "$(id -u)" -eq 0 ]]; then
        chown postgres:postgres "$PG_DIR"
    fi

    log "Creating throwaway PostgreSQL cluster ($PG_BIN) in $PG_DIR"
    if ! pg_run "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres \
        -E UTF8 --locale=C --no-sync >"$PG_DIR/initdb.log" 2>&1; then
        cat "$PG_DIR/initdb.log" >&2
        warn "initdb failed"
        return 1
    fi

    local port attempt=0
    for ((port = PG_FIRST_PORT; attempt < PG_PORT_ATTEMPTS; port++, attempt++)); do
        pg_port_free "$port" || continue
        # Only TCP on 127.0.0.1, unix socket inside PG_DIR; durability off (test data).
        if pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
            -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >"$PG_DIR/pg_ctl.log" 2>&1; then
            PG_PORT="$port"
            break
        fi
        if grep -qi 'could not bind\|address already in use\|could not create any TCP' \
            "$PG_DIR/postgres.log" 2>/dev/null; then
            : >"$PG_DIR/postgres.log" # port was taken after all: try the next one
            continue
        fi
        cat "$PG_DIR/pg_ctl.log" "$PG_DIR/postgres.log" >&2 2>/dev/null || true
        warn "PostgreSQL did not start"
        return 1
    done
    [[ -n "$PG_PORT" ]] || {
        warn "no free port in $PG_FIRST_PORT..$((PG_FIRST_PORT + PG_PORT_ATTEMPTS - 1))"
        return 1
    }

    local i
    for ((i = 0; i < 60; i++)); do
        if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres; then
            export NATTER_TEST_POSTGRES="postgres://postgres:postgres@127.0.0.1:$PG_PORT/postgres"
            log "PostgreSQL ready: NATTER_TEST_POSTGRES=$NATTER_TEST_POSTGRES"
            return 0
        fi
        sleep 0.5
    done
    cat "$PG_DIR/postgres.log" >&2 2>/dev/null || true
    warn "PostgreSQL on port $PG_PORT never became ready"
    return 1
}

pg_stop() {
    [[ -n "$PG_DIR" ]] || return 0
    if [[ -f "$PG_DIR/data/postmaster.pid" ]]; then
        if ! pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
            local pid
            pid="$(head -n 1 "$PG_DIR/data/postmaster.pid" 2>/dev/null || true)"
            if [[ "$pid" =~ ^[0-9]+$ ]]; then
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
    fi
    rm -rf -- "$PG_DIR"
    PG_DIR=""
    PG_PORT=""
}

# --- Commands ---------------------------------------------------------------

cmd_run() {
    local caller_pwd="$PWD"
    cd "$REPO_ROOT"
    ensure_packages
    build
    local bin
    bin="$REPO_ROOT/build/$(preset)/app/natter"
    [[ -x "$bin" ]] || die "$bin was not built"
    (($# > 0)) || set -- "${DEFAULT_RUN_ARGS[@]}"
    # Run from the caller's directory so relative paths in the arguments work.
    cd "$caller_pwd"
    exec "$bin" "$@"
}

# Starts the throwaway PostgreSQL cluster for the store suites (once per run).
TEST_SETUP_DONE=""
test_setup() {
    [[ -z "$TEST_SETUP_DONE" ]] || return 0
    TEST_SETUP_DONE=1
    trap pg_stop EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    unset NATTER_TEST_POSTGRES
    if ! pg_start; then
        pg_stop
        if is_ci; then
            die "could not start the test PostgreSQL cluster (required when CI=true)"
        fi
        warn "could not start a PostgreSQL cluster: PostgreSQL store tests will be skipped"
    fi
    export QT_QPA_PLATFORM=offscreen
}

# sanitizer_suites asan|tsan [ctest args...]: configure and build the preset
# (only the target natter_sanitize_suites: the suites labelled `sanitize` and
# the natter binary they start), then run those suites. The sanitizer options
# (suppression files in tests/sanitizers/) are in the test preset.
sanitizer_suites() {
    local p="$1"
    shift
    # `|| return`: set -e does not hold in a function called as `f || ...`.
    log "Configuring (preset $p)"
    cmake --preset "$p" || return
    log "Building the sanitizer suites (preset $p)"
    cmake --build --preset "$p" --parallel "$(nproc)" || return
    test_setup
    log "Running the sanitizer suites (preset $p)"
    ctest --preset "$p" "$@"
}

# fuzz_targets [TARGET [SECONDS]]: configure and build preset `fuzz`, run
# every target once over its seed corpus and regression inputs (the CTest
# entries labelled `fuzz`), then fuzz TARGET (or every target) for SECONDS
# each. New corpus entries go to build/fuzz/corpus/TARGET (the seeds in
# tests/fuzz/corpus stay as they are); a crash, leak or hang stops the run
# and leaves its input in build/fuzz/finds/: copy it to
# tests/fuzz/regressions/TARGET once fixed.
fuzz_targets() {
    local only="${1:-}" seconds="${2:-30}"
    log "Configuring (preset fuzz)"
    cmake --preset fuzz || return
    log "Building the fuzz targets (preset fuzz)"
    cmake --build --preset fuzz --parallel "$(nproc)" || return
    log "Running every fuzz target over its seeds and regression inputs"
    ctest --preset fuzz || return
    local bin="$REPO_ROOT/build/fuzz/tests/fuzz" target
    local -a targets
    if [[ -n "$only" ]]; then
        targets=("$only")
    else
        mapfile -t targets < <(find "$bin" -maxdepth 1 -type f -name 'fuzz_*' -perm -u+x -printf '%f\n' | sort)
    fi
    ((${#targets[@]} > 0)) || die "no fuzz targets in $bin"
    mkdir -p "$REPO_ROOT/build/fuzz/finds"
    for target in "${targets[@]}"; do
        [[ -x "$bin/$target" ]] || die "no fuzz target $target (have: $(ls "$bin" | grep '^fuzz_' | tr '\n' ' '))"
        local corpus="$REPO_ROOT/build/fuzz/corpus/$target"
        mkdir -p "$corpus"
        # The server targets keep state across inputs (rooms, messages, caches):
        # libFuzzer would run a full leak scan after nearly every input. Leaks
        # are still reported, once, when the run ends.
        local leaks=1
        [[ "$target" =~ ^fuzz_(rooms|cable|social|gateway|chats|natter|rest)$ ]] && leaks=0
        log "Fuzzing $target for ${seconds}s"
        (cd "$bin" && QT_QPA_PLATFORM=offscreen \
            ASAN_OPTIONS="detect_leaks=1" \
            LSAN_OPTIONS="suppressions=$REPO_ROOT/tests/sanitizers/lsan.supp:print_suppressions=0" \
            UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
            "./$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
            -detect_leaks="$leaks" \
            -artifact_prefix="$REPO_ROOT/build/fuzz/finds/$target-" \
            "$corpus" "$REPO_ROOT/tests/fuzz/corpus/$target" "$REPO_ROOT/tests/fuzz/regressions/$target" \
            2>"$REPO_ROOT/build/fuzz/$target.log") || {
            tail -n 60 "$REPO_ROOT/build/fuzz/$target.log" >&2
            warn "$target found something: see build/fuzz/$target.log and build/fuzz/finds/"
            return 1
        }
        grep -E '^stat::(number_of_executed_units|peak_rss_mb)|^Done|cov: ' "$REPO_ROOT/build/fuzz/$target.log" | tail -n 3 >&2
    done
}

cmd_fuzz() {
    cd "$REPO_ROOT"
    ensure_packages
    fuzz_targets "$@"
}

cmd_test() {
    cd "$REPO_ROOT"
    ensure_packages
    build
    test_setup

    local status=0
    ctest --preset "$(preset)" --output-on-failure --timeout 300 "$@" || status=$?
    # With args (`-R tst_x`...) the caller picked what to run: only that.
    if (($# == 0)) && [[ "${NATTER_SANITIZERS:-1}" != 0 ]]; then
        sanitizer_suites asan || status=$?
        fuzz_targets "" "${NATTER_FUZZ_SECONDS:-30}" || status=$?
    fi
    exit "$status"
}

cmd_test_sanitizer() {
    cd "$REPO_ROOT"
    ensure_packages
    sanitizer_suites "$@"
}

main() {
    local cmd="${1:-}"
    (($# > 0)) && shift
    case "$cmd" in
        run) cmd_run "$@" ;;
        test) cmd_test "$@" ;;
        test-asan) cmd_test_sanitizer asan "$@" ;;
        test-tsan) cmd_test_sanitizer tsan "$@" ;;
        fuzz) cmd_fuzz "$@" ;;
        -h | --help | help)
            usage
            exit 0
            ;;
        *)
            usage
            exit 2
            ;;
    esac
}

# Sourcing the file (e.g. to test the functions) defines them without running anything.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    main "$@"
fi
