#!/bin/bash
# Builds the Debian package build/bonding-agentx_<version>_all.deb from this
# checkout (`npm run package:deb`), with dpkg-deb, reproducibly: the same
# sources give the same bytes (file times set to SOURCE_DATE_EPOCH, entries in
# name order, owner root:root, fixed modes, single-threaded xz).
#
# Usage: build-deb.sh [--out DIR]
#   --out DIR  where the .deb goes (default: build/ in the checkout)
# Environment:
#   SOURCE_DATE_EPOCH  the time stamped on every file and in the changelog
#                      (default: the last commit's time; required outside git)
#
# What goes in is what git tracks (with its working-tree contents), built in
# a temp directory: `npm ci` and tsc there, then `npm ci --omit=dev` for the
# production modules. Nothing in the checkout (node_modules/, dist/) is used
# or changed; npm needs its cache or the registry. The layout:
#   /usr/lib/bonding-agentx/        package.json, bin/, dist/ (no source maps),
#                                   node_modules/ (production, docs and tests pruned),
#                                   examples/demo-host/ (for `demo`), mibs/ (a link)
#   /usr/bin/bonding-agentx         -> ../lib/bonding-agentx/bin/bonding-agentx.js
#   /usr/share/snmp/mibs/LINUX-BONDING-MIB.txt
#   /lib/systemd/system/bonding-agentx.service   (examples/bonding-agentx.service)
#   /etc/snmp/snmpd.conf.d/bonding-agentx.conf   (conffile; packaging/snmpd.conf.d/)
#   /usr/share/man/man1/bonding-agentx.1.gz      (the --help texts)
#   /usr/share/doc/bonding-agentx/  README.md.gz, changelog.gz, copyright, examples/ (snmpd, standalone,
#                                   monitoring, prometheus, snmptt, zabbix)
set -euo pipefail

die() {
  echo "build-deb: $*" >&2
  exit 1
}

repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/build
while [ $# -gt 0 ]; do
  case "$1" in
    --out)
      [ $# -ge 2 ] || die "--out needs a directory"
      out=$2
      shift 2
      ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument $1 (usage: build-deb.sh [--out DIR])" ;;
  esac
done

for tool in node npm dpkg-deb gzip tar md5sum; do
  command -v "$tool" >/dev/null || die "$tool is missing"
done

name=bonding-agentx
cd "$repo"
npm_version=$(node -p 'require("./package.json").version')
# npm's pre-releases (1.2.0-rc.1) sort before their release in Debian as 1.2.0~rc.1.
version=${npm_version//-/\~}
[[ $version =~ ^[0-9][A-Za-z0-9.+~]*$ ]] || die "package.json version '$npm_version' is not usable as a Debian version"

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git -C "$repo" log -1 --format=%ct 2>/dev/null) \
    || die "not a git checkout: set SOURCE_DATE_EPOCH (seconds since 1970) for a reproducible build"
fi
[[ $SOURCE_DATE_EPOCH =~ ^[0-9]+$ ]] || die "SOURCE_DATE_EPOCH must be a number of seconds, not '$SOURCE_DATE_EPOCH'"
export SOURCE_DATE_EPOCH TZ=UTC LC_ALL=C
umask 022

mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/bonding-agentx-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT

# 1. The sources: what git tracks, as they are in the working tree.
src=$work/src
mkdir -p "$src"
paths=(package.json package-lock.json tsconfig.json README.md bin src mibs examples packaging scripts)
if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git -C "$repo" ls-files -z -- "${paths[@]}" |
    while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
    tar -C "$repo" --null -T - -cf - | tar -C "$src" -xf -
else
  tar -C "$repo" -cf - "${paths[@]}" | tar -C "$src" -xf -
fi

# 2. Build: the compiler from the lock file, then the production modules alone.
npm_quiet=(--no-audit --no-fund --prefer-offline --loglevel=error)
echo "build-deb: npm ci and tsc in a clean copy" >&2
(cd "$src" && npm ci --ignore-scripts "${npm_quiet[@]}" >/dev/null && node node_modules/typescript/bin/tsc -p tsconfig.json)
app=$work/app
mkdir -p "$app"
cp "$src/package.json" "$src/package-lock.json" "$app/"
(cd "$app" && npm ci --omit=dev --ignore-scripts "${npm_quiet[@]}" >/dev/null)

# 3. The file tree.
root=$work/root
lib=$root/usr/lib/$name
mkdir -p "$lib/bin" "$lib/mibs" "$lib/examples" "$root/usr/bin"
cp "$src/package.json" "$lib/"
cp "$src/bin/bonding-agentx.js" "$lib/bin/"
(cd "$src" && find dist -type f -name '*.js' -print0 | tar --null -T - -cf -) | tar -C "$lib" -xf -
cp -r "$app/node_modules" "$lib/node_modules"
# Prune what only a module's developers use: npm's own files, dot files,
# tests, docs, benchmarks, examples, type declarations, source maps.
nm=$lib/node_modules
rm -rf "$nm/.bin" "$nm/.package-lock.json"
# The modules' own command-line tools ("bin" in their package.json).
node -e '
  const { readdirSync, readFileSync, rmSync, existsSync } = require("node:fs");
  const { join } = require("node:path");
  const nm = process.argv[1];
  const dirs = readdirSync(nm).flatMap((d) => d.startsWith("@") ? readdirSync(join(nm, d)).map((s) => join(d, s)) : [d]);
  for (const d of dirs) {
    const file = join(nm, d, "package.json");
    if (!existsSync(file)) continue;
    const bin = JSON.parse(readFileSync(file, "utf8")).bin;
    const paths = typeof bin === "string" ? [bin] : Object.values(bin ?? {});
    for (const p of paths) rmSync(join(nm, d, p), { force: true });
  }' "$nm"
find "$nm" -depth -mindepth 1 \( -name '.*' -o -type d \( -name test -o -name tests -o -name __tests__ \
  -o -name docs -o -name benchmarks -o -name example -o -name examples -o -name fixtures \) \) \
  -exec rm -rf {} +
find "$nm" -type f \( -name '*.md' -o -name '*.markdown' -o -name '*.ts' -o -name '*.mts' -o -name '*.cts' \
  -o -name '*.map' -o -name '*.sh' -o -name '*.html' -o -name '*.ico' -o -name CNAME \
  -o -name 'tsconfig*.json' -o -name 'eslint.config.*' \) ! -iname 'licen[cs]e*' -delete
rm -rf "$nm/net-snmp/ref"
find "$nm" -depth -mindepth 1 -type d -empty -delete
cp -r "$src/examples/demo-host" "$lib/examples/"
ln -s ../../../share/snmp/mibs/LINUX-BONDING-MIB.txt "$lib/mibs/LINUX-BONDING-MIB.txt"
ln -s ../lib/$name/bin/bonding-agentx.js "$root/usr/bin/$name"

install -D -m 644 "$src/mibs/LINUX-BONDING-MIB.txt" "$root/usr/share/snmp/mibs/LINUX-BONDING-MIB.txt"
install -D -m 644 "$src/examples/bonding-agentx.service" "$root/lib/systemd/system/$name.service"
install -D -m 644 "$src/packaging/snmpd.conf.d/$name.conf" "$root/etc/snmp/snmpd.conf.d/$name.conf"

doc=$root/usr/share/doc/$name
mkdir -p "$doc/examples"
gzip -9n <"$src/README.md" >"$doc/README.md.gz"
cp "$src/examples/snmpd.conf" "$src/packaging/standalone.conf" "$doc/examples/"
# What the monitoring systems need: Nagios/Icinga/Checkmk definitions for
# `bonding-agentx check`, the snmp_exporter module and alerting rules, the
# snmptt rules, the Zabbix template and trap receiver. Documentation: no
# file is executable there (copy the Checkmk local check to install it).
for dir in monitoring prometheus snmptt zabbix; do
  cp -r "$src/examples/$dir" "$doc/examples/"
done
find "$doc/examples" -type f -exec chmod 644 {} +
node "$src/scripts/deb-copyright.mjs" "$src/packaging/debian/copyright" "$nm" "$src/packaging/debian/licenses" \
  >"$doc/copyright"
mkdir -p "$root/usr/share/man/man1"
node "$src/scripts/deb-manpage.mjs" "$src/bin/bonding-agentx.js" "$version" \
  "$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)" | gzip -9n >"$root/usr/share/man/man1/$name.1.gz"
maintainer=$(sed -n 's/^Maintainer: //p' "$src/packaging/debian/control")
{
  printf '%s (%s) unstable; urgency=medium\n\n' "$name" "$version"
  printf '  * Release %s; the README tells what it does.\n\n' "$npm_version"
  printf ' -- %s  %s\n' "$maintainer" "$(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$doc/changelog.gz"

# 4. Control files.
mkdir -p "$root/DEBIAN"
for script in postinst prerm postrm; do
  install -m 755 "$src/packaging/debian/$script" "$root/DEBIAN/$script"
done
echo "/etc/snmp/snmpd.conf.d/$name.conf" >"$root/DEBIAN/conffiles"
# Installed-Size as dpkg-gencontrol counts it: KiB per file, rounded up; 1 per directory or link.
installed_size=$(cd "$root" && find . -path ./DEBIAN -prune -o -mindepth 1 -printf '%y %s\n' |
  awk '{ n += ($1 == "f") ? int(($2 + 1023) / 1024) : 1 } END { print n }')
sed -e "s/@VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
  "$src/packaging/debian/control" >"$root/DEBIAN/control"
(cd "$root" && find . -path ./DEBIAN -prune -o -path ./etc -prune -o -type f -printf '%P\0' | sort -z |
  xargs -0 md5sum) >"$root/DEBIAN/md5sums"

# 5. Normalized modes and times, then the archive.
find "$root" -type d -exec chmod 0755 {} +
find "$root" -type f -exec chmod 0644 {} +
chmod 0755 "$lib/bin/bonding-agentx.js" "$root"/DEBIAN/{postinst,prerm,postrm}
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
deb=$out/${name}_${version}_all.deb
dpkg-deb --root-owner-group -Zxz --threads-max=1 --build "$root" "$deb.tmp" >/dev/null
mv "$deb.tmp" "$deb"
echo "build-deb: $deb ($(stat -c %s "$deb") bytes, installed $installed_size KiB, sha256 $(sha256sum "$deb" | cut -d' ' -f1))" >&2
echo "$deb"
