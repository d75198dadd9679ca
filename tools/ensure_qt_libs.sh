#!/bin/sh
# Make sure the X11 libraries Qt's xcb platform plugin needs are present.
# As root, install the missing ones with apt-get; otherwise print the one line to run.
py="$1"
plugin=$("$py" -c 'import os, PySide6; print(os.path.join(os.path.dirname(PySide6.__file__), "Qt", "plugins", "platforms", "libqxcb.so"))' 2>/dev/null)
[ -f "$plugin" ] || exit 0            # not Linux/X11: nothing to check
missing=$(ldd "$plugin" 2>/dev/null | grep 'not found' | awk '{print $1}')
[ -z "$missing" ] && exit 0
pkgs="libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libegl1 libgl1 libfontconfig1 libdbus-1-3"
echo "Qt's X11 libraries are missing: $(echo $missing | tr '\n' ' ')"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing them with apt-get..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs
else
    echo "Run this once, then 'make run' again:"
    echo "    sudo apt-get install -y $pkgs"
    exit 2
fi
