#!/usr/bin/env bash
# Regenerates examples/prometheus/snmp.yml from examples/prometheus/generator.yml
# and mibs/LINUX-BONDING-MIB.txt with snmp_exporter's generator.
#
#   scripts/generate-prometheus.sh [OUTPUT]      (default: examples/prometheus/snmp.yml)
#
# The generator is Debian's prometheus-snmp-generator (package
# prometheus-snmp-exporter, 0.21 on Debian 12); set SNMP_GENERATOR to use
# another build (upstream names it `generator`). It reads every MIB in its
# MIB directories, so it is given exactly the modules ours needs: SNMPv2-SMI,
# -TC, -CONF, -MIB, IF-MIB and IANAifType-MIB from the npm package net-snmp
# (Debian has no IF-MIB: it is non-free there), NET-SNMP-MIB from Debian's
# libsnmp-base; any MIB parse error fails the run.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-$repo/examples/prometheus/snmp.yml}")
generator=${SNMP_GENERATOR:-$(command -v prometheus-snmp-generator || true)}
if [ -z "$generator" ]; then
  echo "generate-prometheus: prometheus-snmp-generator not found (Debian: apt install prometheus-snmp-exporter; or set SNMP_GENERATOR)" >&2
  exit 2
fi

npm_mibs=$repo/node_modules/net-snmp/lib/mibs
netsnmp_mibs=${NET_SNMP_MIBS:-/usr/share/snmp/mibs}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/mibs"
ln -s "$repo/mibs/LINUX-BONDING-MIB.txt" "$work/mibs/"
for m in SNMPv2-SMI SNMPv2-TC SNMPv2-CONF SNMPv2-MIB IF-MIB IANAifType-MIB; do
  [ -e "$npm_mibs/$m.mib" ] || { echo "generate-prometheus: $npm_mibs/$m.mib missing (run npm ci)" >&2; exit 2; }
  ln -s "$npm_mibs/$m.mib" "$work/mibs/$m.txt"
done
[ -e "$netsnmp_mibs/NET-SNMP-MIB.txt" ] || { echo "generate-prometheus: $netsnmp_mibs/NET-SNMP-MIB.txt missing (Debian: apt install libsnmp-base)" >&2; exit 2; }
ln -s "$netsnmp_mibs/NET-SNMP-MIB.txt" "$work/mibs/"

# The generator reads generator.yml from its working directory.
cp "$repo/examples/prometheus/generator.yml" "$work/"
(cd "$work" && MIBDIRS="$work/mibs" MIBS=ALL "$generator" --fail-on-parse-errors --log.level=warn generate --output-path="$work/snmp.yml")
mv "$work/snmp.yml" "$out"
echo "generate-prometheus: wrote $out"
