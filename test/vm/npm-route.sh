#!/bin/sh
# Runs INSIDE the test VM (package-systemd.js, after the package's purge):
# the README's route for other distributions ("Other distributions: npm"),
# line by line, from where the command is installed on: the clone, `npm ci`
# and `npm install -g "$(npm pack | tail -1)"` ran on the host
# (test-vm-systemd.sh, into a prefix on the results share: the VM has no
# network). Keep both in step. Leaves the service running; the driver checks it.
#
# Usage: npm-route.sh BIN   (from the checkout; BIN: $(npm prefix -g)/bin/bonding-agentx)
set -eu
bin=$1

cp mibs/LINUX-BONDING-MIB.txt /usr/share/snmp/mibs/
groupadd --system snmp-agentx
useradd --system --user-group --groups snmp-agentx --no-create-home --home-dir /nonexistent \
  --shell /usr/sbin/nologin bonding-agentx
cp packaging/snmpd.conf.d/bonding-agentx.conf /etc/snmp/snmpd.conf.d/
chmod go+x /var/agentx
systemctl restart snmpd
cp examples/bonding-agentx.service /etc/systemd/system/
mkdir -p /etc/systemd/system/bonding-agentx.service.d
printf '[Service]\nExecStart=\nExecStart=%s run --agentx-socket /var/agentx/master\n' "$bin" \
  >/etc/systemd/system/bonding-agentx.service.d/npm.conf
systemctl daemon-reload && systemctl enable --now bonding-agentx
# (the administrator's part, as with the package: the views taken in)
sed -i 's/^#view /view /' /etc/snmp/snmpd.conf.d/bonding-agentx.conf
systemctl reload snmpd
