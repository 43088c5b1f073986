#!/usr/bin/env bash
# Installs the Debian packages the tests need, when they are missing:
#  - chromium: the browser Playwright drives (never a downloaded one);
#  - nginx with the brotli module: the end-to-end tests serve the build with the container's own nginx.conf;
#  - python3-h5py and python3-numpy for Debian's /usr/bin/python3: the independent Keras reader the Keras import
#    and export tests check against (src/testing/keras/keras_reference.py);
#  - firefox-esr, webkit2gtk-driver, xvfb and xauth: the core journey in Firefox and WebKitGTK (e2e/engines/);
#  - podman, runc and mmdebstrap: building and running the container image (npm run test:container; mmdebstrap
#    makes local base images where no container registry can be reached, scripts/container/base-images.sh).
# Runs before `npm test`. As root it installs with apt-get; otherwise it says what to install.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v nginx >/dev/null 2>&1 || need+=(nginx)
[ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] || need+=(libnginx-mod-http-brotli-static)
command -v setpriv >/dev/null 2>&1 || need+=(util-linux)
/usr/bin/python3 -c 'import h5py' >/dev/null 2>&1 || need+=(python3-h5py)
/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1 || need+=(python3-numpy)
# The other engines' core journey (e2e/engines/): Firefox ESR over WebDriver BiDi, WebKitGTK's WebKitWebDriver
# and MiniBrowser under a virtual display.
[ -x /usr/bin/firefox-esr ] || need+=(firefox-esr)
[ -x /usr/bin/WebKitWebDriver ] || need+=(webkit2gtk-driver)
command -v xvfb-run >/dev/null 2>&1 || need+=(xvfb xauth)
# The container image (scripts/container/): podman with runc (crun refuses hybrid cgroups), mmdebstrap for bases.
command -v podman >/dev/null 2>&1 || need+=(podman)
command -v runc >/dev/null 2>&1 || need+=(runc)
command -v mmdebstrap >/dev/null 2>&1 || need+=(mmdebstrap)

if ((${#need[@]} == 0)); then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "The tests need these Debian packages: ${need[*]}" >&2
  echo "Install them with: sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "Installing Debian packages for the tests: ${need[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
