#!/usr/bin/env bash
# Installs every Debian 12 (bookworm) package needed to build, test, package
# and run Webhook Admin. Run as root. Idempotent: apt-get skips what is there.
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps.sh: run as root (or with sudo)" >&2
    exit 1
fi

packages=(
    # toolchain
    cmake
    ninja-build
    g++
    git
    pkg-config
    ccache
    # Qt 6.4: Core, Gui, Widgets, Network, Sql (SQLite driver), Svg, Test,
    # HttpServer (the listener, and the tests' local receiver), Linguist tools
    qt6-base-dev
    qt6-base-dev-tools
    qt6-tools-dev
    qt6-tools-dev-tools
    qt6-l10n-tools
    qt6-httpserver-dev
    qt6-websockets-dev # Qt6HttpServer's CMake package asks for it
    qt6-svg-dev
    qt6-charts-dev # the delivery chart above the log
    libqt6svg6
    libqt6httpserver6
    libqt6sql6-sqlite
    libsqlite3-dev # the listener's busy handler
    qt6-qpa-plugins
    qt6-translations-l10n
    libgl-dev
    # desktop notifications over D-Bus (Qt D-Bus comes with qt6-base-dev);
    # the tests run their own session bus with dbus-daemon
    libqt6dbus6
    dbus-daemon
    dbus-bin
    # running GUI tests and taking screenshots without a display
    xvfb
    xauth
    imagemagick
    # code style
    clang-format
    # the libFuzzer targets (tests/fuzz) build with clang
    clang
    # scripts; the benchmarks' "how Label Studio sends" baseline (requests.post)
    python3
    python3-requests
    # a real HTTP/2 (h2c) receiver for tests and benchmarks: nghttpd
    nghttp2-server
    # the receiver of the user-path benchmarks (U1-U4): a fixed "return 200"
    nginx-light
    # packaging: desktop/AppStream validation, cpack DEB with shlibdeps
    appstream
    desktop-file-utils
    file
    dpkg-dev
    fakeroot
    # inspecting database files by hand
    sqlite3
    # team mode: Qt's PostgreSQL driver, and a server the tests start themselves
    # (initdb in a temporary folder; the package's own cluster is not used)
    libqt6sql6-psql
    postgresql
    # libpq's headers: the server's own words on a session it ends go to the
    # app (which reconnects), not to stderr (models/store/sql_dialect.cpp)
    libpq-dev
    # the receiver-code snippets' tests run them with node, and check rotation
    # with the standardwebhooks npm package (tests/support/npm)
    nodejs
)

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y "${packages[@]}"

# npm: Debian's, unless Node.js came with its own (NodeSource's package has it).
if ! command -v npm >/dev/null; then
    apt-get install -y npm
fi
# The third-party verifiers the tests use, at the versions package-lock.json pins.
npm_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/support/npm"
(cd "$npm_dir" && npm ci --no-audit --no-fund)
