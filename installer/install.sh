#!/usr/bin/env bash
# Per-user installation of CaseApp on a field laptop (Debian/Ubuntu), from this source tree:
#   installer/install.sh            install or upgrade for the current user
#   installer/install.sh --remove   remove the program (workspaces are kept: they hold the data)
# The program goes to ~/.local/share/caseapp/venv, a `caseapp` command to ~/.local/bin and a menu
# entry to ~/.local/share/applications. Workspaces live in the user's data folder and are never touched.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
prefix="${XDG_DATA_HOME:-$HOME/.local/share}/caseapp"
bin="$HOME/.local/bin"
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"

if [ "${1:-}" = "--remove" ]; then
  rm -rf "$prefix/venv" "$bin/caseapp" "$apps/caseapp.desktop"
  echo "CaseApp removed; workspaces were kept."
  exit 0
fi

bash "$here/scripts/system-deps" desktop
mkdir -p "$prefix" "$bin" "$apps"
python3 -m venv "$prefix/venv"
"$prefix/venv/bin/python" -m pip install -q --upgrade pip
"$prefix/venv/bin/python" -m pip install -q -c "$here/constraints.txt" "$here"
"$prefix/venv/bin/python" -m ui.i18n_build || true
ln -sf "$prefix/venv/bin/caseapp" "$bin/caseapp"
cat > "$apps/caseapp.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=CaseApp
Name[zh_CN]=个案通
Comment=Offline case management for civil-affairs caseworkers
Comment[zh_CN]=民政一线离线个案工作台
Exec=$prefix/venv/bin/caseapp
Terminal=false
Categories=Office;
DESKTOP
echo "CaseApp installed: run 'caseapp' or find it in the applications menu."
