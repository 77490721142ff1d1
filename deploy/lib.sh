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
