# Shared by run.sh and test.sh: install the Debian packages Hearth needs,
# only those that are missing, so a fresh Debian 12 machine needs nothing
# done by hand.

BUILD_PACKAGES=(cmake gcc make pkg-config libuv1-dev libwebsockets-dev libwebsockets-evlib-uv
                libsqlite3-dev libssl-dev libjansson-dev libreadline-dev libicu-dev)
TEST_PACKAGES=(libcriterion-dev openssl)

missing_packages() {
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
    done
}

ensure_packages() {
    local missing
    missing=$(missing_packages "$@")
    [ -z "$missing" ] && return 0
    echo "Installing missing Debian packages: $missing"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "Need root (or sudo) to install: $missing" >&2; exit 1; }
        sudo=sudo
    fi
    # shellcheck disable=SC2086
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # shellcheck disable=SC2086
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
}

build_jobs() { nproc 2>/dev/null || echo 2; }

# ---- The browser client's tests (test.sh only; run.sh needs none of it) ----
# Node.js with npm: Debian's nodejs/npm packages, installed only when the
# commands are missing (an existing install, e.g. NodeSource's, is kept).
# Debian's chromium drives the end-to-end tests (/usr/bin/chromium): no
# browser is ever downloaded.
WEB_TEST_PACKAGES=(chromium)
# playwright-core (tests/web/package.json) needs Node.js 20 or newer; where
# the system's node is older (Debian 12's is 18), this one from the npm
# registry (package node-linux-<arch>, the official binary) runs the web
# tests instead, from build/node/bin/node.
WEB_NODE_MIN_MAJOR=20
WEB_NODE_FALLBACK=20.20.2

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
    local want=()
    command -v node >/dev/null || want+=(nodejs)
    command -v npm >/dev/null || want+=(npm)
    [ ${#want[@]} -eq 0 ] || ensure_packages "${want[@]}"
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        echo "Node.js and npm are still missing after installing ${want[*]}" >&2
        exit 1
    fi
}

# Sets WEB_NODE to a node new enough for the web tests (see above).
ensure_web_node() {
    local sys
    sys=$(command -v node)
    if [ "$(node_major "$sys")" -ge "$WEB_NODE_MIN_MAJOR" ]; then
        WEB_NODE=$sys
        return 0
    fi
    local dir=$PWD/build/node arch
    case "$(uname -m)" in
        x86_64) arch=x64 ;;
        aarch64) arch=arm64 ;;
        *) echo "node $("$sys" --version) is too old for the web tests (need $WEB_NODE_MIN_MAJOR+)" >&2; exit 1 ;;
    esac
    if [ "$(node_major "$dir/bin/node")" -lt "$WEB_NODE_MIN_MAJOR" ]; then
        echo "node $("$sys" --version) is older than $WEB_NODE_MIN_MAJOR: installing Node.js" \
             "$WEB_NODE_FALLBACK for the web tests into build/node"
        npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund \
            --loglevel=error "node-linux-$arch@$WEB_NODE_FALLBACK"
        mkdir -p "$dir/bin"
        ln -sfn "../node_modules/node-linux-$arch/bin/node" "$dir/bin/node"
    fi
    WEB_NODE=$dir/bin/node
}

# npm ci in tests/web when node_modules is missing or older than the lock.
ensure_web_node_modules() {
    local web=tests/web stamp=tests/web/node_modules/.package-lock.json
    if [ ! -f "$stamp" ] || [ "$web/package-lock.json" -nt "$stamp" ] || [ "$web/package.json" -nt "$stamp" ]; then
        echo "Installing the web tests' npm packages (npm ci in $web)"
        (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
    fi
}
