#!/usr/bin/env bash
# Install this CaseApp bundle for the current user, without administrator rights:
#   ./install.sh            install or upgrade (to ~/.local/opt/caseapp, `caseapp` in ~/.local/bin, a menu entry)
#   ./install.sh --remove   remove the program; workspaces are kept (they hold the data)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data="${XDG_DATA_HOME:-$HOME/.local/share}"
prefix="$HOME/.local/opt/caseapp"
bin="$HOME/.local/bin"
if [ "${1:-}" = "--remove" ]; then
  rm -rf "$prefix" "$bin/caseapp" "$data/applications/caseapp.desktop" "$data/icons/hicolor/scalable/apps/caseapp.svg"
  echo "CaseApp removed; workspaces were kept."
  exit 0
fi
mkdir -p "$HOME/.local/opt" "$bin" "$data/applications" "$data/icons/hicolor/scalable/apps"
rm -rf "$prefix.new" && cp -a "$here/caseapp" "$prefix.new"
rm -rf "$prefix" && mv "$prefix.new" "$prefix"      # an upgrade replaces the whole program folder
ln -sf "$prefix/caseapp" "$bin/caseapp"
cp "$here/caseapp.svg" "$data/icons/hicolor/scalable/apps/caseapp.svg"
sed -e "s|@EXEC@|$prefix/caseapp|" -e "s|@ICON@|caseapp|" "$here/caseapp.desktop.in" > "$data/applications/caseapp.desktop"
echo "CaseApp installed: run 'caseapp' or find 个案通 in the applications menu."
