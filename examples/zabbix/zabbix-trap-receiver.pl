# bonding-agentx: an snmptrapd embedded-Perl handler that appends every
# notification snmptrapd accepts to Zabbix's SNMPTrapperFile, in the format
# Zabbix's SNMP trapper (StartSNMPTrapper=1) reads:
#
#   HH:MM:SS YYYY/MM/DD ZBXTRAP <address>
#   <notification> from <transport>, <version>
#   <object> = <TYPE>: <value>          one line per varbind
#
# <address> is the sender's IP address (snmpTrapAddress.0 when a relay sent
# it): the one the Zabbix host's SNMP interface must have.
#
# LINUX-BONDING-MIB notifications and objects are written by name
# (LINUX-BONDING-MIB::bondSlaveLinkDown, LINUX-BONDING-MIB::bondName.2) from
# the table below, whether snmptrapd loaded the MIB or not: the template's
# snmptrap[] items match those names, and Debian's snmptrapd loads no MIB by
# default. Other OIDs are written as snmptrapd names them.
#
# Strings are written as they are when printable ASCII; otherwise (or when
# they contain "ZBXTRAP", which would split the record) as Hex-STRING. So a
# record is one header line and one line per varbind. snmpTrapCommunity.0
# (SNMPv1 traps carry it) is left out: a community is a secret.
#
# snmptrapd.conf (Debian: libsnmp-perl provides NetSNMP::TrapReceiver):
#
#   authCommunity log,execute public
#   perl $main::ZabbixTrapFile = "/var/lib/zabbix/snmptraps/snmptraps.log";
#   perl do "/usr/local/share/bonding-agentx/zabbix/zabbix-trap-receiver.pl";
#
# with the same path as SNMPTrapperFile in zabbix_server.conf.

package BondingAgentx::ZabbixTrapReceiver;

use strict;
use warnings;
use Fcntl qw(:flock);
use POSIX qw(strftime);
use NetSNMP::ASN qw(ASN_OCTET_STR ASN_OBJECT_ID);
use NetSNMP::TrapReceiver;

# Zabbix's default SNMPTrapperFile; set $main::ZabbixTrapFile before loading.
my $DEFAULT_FILE = '/tmp/zabbix_traps.tmp';

# LINUX-BONDING-MIB (mibs/LINUX-BONDING-MIB.txt): OID under the module's root -> name.
my $ROOT = '1.3.6.1.4.1.8072.9999.9999.8023';
my %BONDING = (
    '0.1' => 'bondSlaveLinkDown', '0.2' => 'bondSlaveLinkUp', '0.3' => 'bondActiveSlaveChanged',
    '0.4' => 'bondLinkDown', '0.5' => 'bondLinkUp', '0.6' => 'bondSlaveAdAggregatorMismatch',
    '0.7' => 'bondSlaveAdAggregatorMatch', '0.8' => 'bondSlaveAdded', '0.9' => 'bondSlaveRemoved',
    '0.10' => 'bondCreated', '0.11' => 'bondDeleted',
    '1.1.1' => 'bondDriverVersion', '1.1.2' => 'bondCount',
    '1.2.1.1' => 'bondIfIndex', '1.2.1.2' => 'bondName', '1.2.1.3' => 'bondMode',
    '1.2.1.4' => 'bondMiiStatus', '1.2.1.5' => 'bondActiveSlaveIfIndex', '1.2.1.6' => 'bondActiveSlaveName',
    '1.2.1.7' => 'bondPrimarySlaveName', '1.2.1.8' => 'bondPrimaryReselect', '1.2.1.9' => 'bondSlaveCount',
    '1.2.1.10' => 'bondSlavesUp', '1.2.1.11' => 'bondMiimon', '1.2.1.12' => 'bondUpDelay',
    '1.2.1.13' => 'bondDownDelay', '1.2.1.14' => 'bondPeerNotifDelay', '1.2.1.15' => 'bondUseCarrier',
    '1.2.1.16' => 'bondArpInterval', '1.2.1.17' => 'bondArpIpTargets', '1.2.1.18' => 'bondArpValidate',
    '1.2.1.19' => 'bondArpAllTargets', '1.2.1.20' => 'bondFailOverMac', '1.2.1.21' => 'bondXmitHashPolicy',
    '1.2.1.22' => 'bondLacpActive', '1.2.1.23' => 'bondLacpRate', '1.2.1.24' => 'bondAdSelect',
    '1.2.1.25' => 'bondMinLinks', '1.2.1.26' => 'bondAdAggregatorId', '1.2.1.27' => 'bondAdNumPorts',
    '1.2.1.28' => 'bondAdActorKey', '1.2.1.29' => 'bondAdPartnerKey', '1.2.1.30' => 'bondAdPartnerMac',
    '1.2.1.31' => 'bondAdActorSysPrio', '1.2.1.32' => 'bondAdActorSystem', '1.2.1.33' => 'bondMacAddress',
    '1.2.1.34' => 'bondFailoverCount', '1.2.1.35' => 'bondLastFailover',
    '1.3.1.1' => 'bondSlaveIfIndex', '1.3.1.2' => 'bondSlaveName', '1.3.1.3' => 'bondSlaveState',
    '1.3.1.4' => 'bondSlaveMiiStatus', '1.3.1.5' => 'bondSlaveSpeed', '1.3.1.6' => 'bondSlaveDuplex',
    '1.3.1.7' => 'bondSlaveLinkFailureCount', '1.3.1.8' => 'bondSlavePermHwAddr', '1.3.1.9' => 'bondSlaveQueueId',
    '1.3.1.10' => 'bondSlaveAdAggregatorId', '1.3.1.11' => 'bondSlaveAdActorOperState',
    '1.3.1.12' => 'bondSlaveAdPartnerOperState', '1.3.1.13' => 'bondSlaveAdActorChurnState',
    '1.3.1.14' => 'bondSlaveAdPartnerChurnState', '1.3.1.15' => 'bondSlaveAdActorChurnedCount',
    '1.3.1.16' => 'bondSlaveAdPartnerChurnedCount', '1.3.1.17' => 'bondSlaveAdPartnerSystemMac',
    '1.3.1.18' => 'bondSlaveIsPrimary',
    '1.4.1' => 'bondPreviousActiveSlaveName', '1.4.2' => 'bondPreviousActiveSlaveIfIndex', '1.4.3' => 'bondEventInferred',
);
# The notification's own varbinds, named without SNMPv2-MIB (Debian ships none).
my %STANDARD = (
    '1.3.6.1.2.1.1.3.0' => 'SNMPv2-MIB::sysUpTime.0',
    '1.3.6.1.6.3.1.1.4.1.0' => 'SNMPv2-MIB::snmpTrapOID.0',
    '1.3.6.1.6.3.1.1.4.3.0' => 'SNMPv2-MIB::snmpTrapEnterprise.0',
    '1.3.6.1.6.3.18.1.3.0' => 'SNMP-COMMUNITY-MIB::snmpTrapAddress.0',
);
my $TRAP_OID = '1.3.6.1.6.3.1.1.4.1.0';
my $TRAP_ADDRESS = '1.3.6.1.6.3.18.1.3.0';
my $TRAP_COMMUNITY = '1.3.6.1.6.3.18.1.4.0';
my %VERSION = (0 => 'SNMPv1', 1 => 'SNMPv2c', 3 => 'SNMPv3');
my %warned;

sub trap_file {
    return defined $main::ZabbixTrapFile && $main::ZabbixTrapFile ne '' ? $main::ZabbixTrapFile : $DEFAULT_FILE;
}

# One warning per distinct message per minute in snmptrapd's log.
sub complain {
    my ($message) = @_;
    my $now = time;
    return if exists $warned{$message} && $now - $warned{$message} < 60;
    $warned{$message} = $now;
    warn "zabbix-trap-receiver: $message\n";
}

# A dotted OID by name: LINUX-BONDING-MIB's from the table (the instance
# after it), a few standard ones, else as snmptrapd prints it.
sub name_of {
    my ($numeric, $printed) = @_;
    return $STANDARD{$numeric} if exists $STANDARD{$numeric};
    return 'LINUX-BONDING-MIB::linuxBondingMIB' if $numeric eq $ROOT;
    if (index("$numeric.", "$ROOT.") == 0) {
        my @arcs = split /\./, substr($numeric, length($ROOT) + 1);
        for (my $n = scalar @arcs; $n > 0; $n--) {
            my $object = $BONDING{ join '.', @arcs[0 .. $n - 1] };
            next unless defined $object;
            return join '.', "LINUX-BONDING-MIB::$object", @arcs[$n .. $#arcs];
        }
    }
    return $printed;
}

# The sender's address from snmptrapd's transport text, e.g.
# "UDP: [192.0.2.7]:40213->[192.0.2.1]:162" or "UDP/IPv6: [2001:db8::7]:40213->[...]:162".
sub sender_address {
    my ($received_from) = @_;
    return 'unknown' unless defined $received_from;
    return $1 if $received_from =~ /\[([^\]]+)\]/;
    return $received_from if $received_from =~ /^[0-9A-Fa-f.:]+$/;
    return 'unknown';
}

sub one_line {
    my ($text) = @_;
    $text = '' unless defined $text;
    $text =~ s/[\r\n]+/ /g;
    $text =~ s/ZBXTRAP/ZBX-TRAP/g;
    return $text;
}

# A varbind's value on one line.
sub value_text {
    my ($type, $text, $raw) = @_;
    if ($type == ASN_OCTET_STR && defined $raw) {
        if ($raw =~ /[^\x20-\x7e]/ || $raw =~ /ZBXTRAP/) {
            return 'Hex-STRING: ' . join(' ', map { sprintf '%02X', ord } split //, $raw);
        }
        return "STRING: $raw";
    }
    if ($type == ASN_OBJECT_ID && defined $raw) {
        my $oid = ref $raw ? join('.', $raw->to_array) : $raw;
        $oid =~ s/^\.//;
        if ($oid =~ /^[0-9.]+$/) {
            (my $printed = one_line($text)) =~ s/^OID: //;
            return 'OID: ' . name_of($oid, $printed);
        }
    }
    return one_line($text);
}

sub receive {
    my ($pdu, $varbinds) = @_;
    my $address = sender_address($pdu->{receivedfrom});
    my $notification = 'unknown notification';
    my @lines;
    for my $vb (@$varbinds) {
        my ($oid, $text, $type, $raw) = @$vb;
        my $numeric = join '.', $oid->to_array;
        next if $numeric eq $TRAP_COMMUNITY;
        my $value = value_text($type, $text, $raw);
        if ($numeric eq $TRAP_OID) {
            ($notification = $value) =~ s/^OID: //;
        } elsif ($numeric eq $TRAP_ADDRESS && $value =~ /([0-9.]+)\s*$/) {
            $address = $1;
        }
        push @lines, name_of($numeric, one_line("$oid")) . " = $value";
    }
    my $version = $VERSION{ $pdu->{version} // -1 } // 'SNMP version ' . ($pdu->{version} // '?');
    my $record = join "\n",
        strftime('%H:%M:%S %Y/%m/%d', localtime) . " ZBXTRAP $address",
        "$notification from " . one_line($pdu->{receivedfrom} // 'unknown transport') . ", $version",
        @lines;

    my $file = trap_file();
    my $fh;
    unless (open $fh, '>>', $file) {
        complain("cannot open $file: $!");
        return NETSNMPTRAPD_HANDLER_OK;
    }
    flock $fh, LOCK_EX;
    # One write per record: the trapper never reads half a varbind line.
    my $bytes = "$record\n";
    my $written = syswrite $fh, $bytes;
    complain("cannot write $file: $!") unless defined $written && $written == length $bytes;
    close $fh;
    return NETSNMPTRAPD_HANDLER_OK;
}

NetSNMP::TrapReceiver::register('all', \&receive)
    or die "zabbix-trap-receiver: cannot register with snmptrapd\n";
print STDERR 'zabbix-trap-receiver: writing notifications to ' . trap_file() . "\n";

1;
