# bonding-agentx: an snmptrapd embedded-Perl handler that appends every
# notification snmptrapd accepts to Zabbix's SNMPTrapperFile, in the format
# Zabbix's SNMP trapper (StartSNMPTrapper=1) reads:
#
#   HH:MM:SS YYYY/MM/DD ZBXTRAP <address>
#   <notification> from <transport>, <version>
#   <object> = <TYPE>: <value>          one line per varbind
#
# <address> is the sender's IP address (or snmpTrapAddress.0 when a relay
# sent it): the one the Zabbix host's SNMP interface must have. Strings are
# written as they are when printable, otherwise (or when they contain
# "ZBXTRAP", which would split the record) as Hex-STRING, so a record is
# always one header line followed by single-line varbinds.
#
# snmptrapd.conf (Debian: libsnmp-perl provides NetSNMP::TrapReceiver):
#
#   authCommunity log,execute public
#   perl $main::ZabbixTrapFile = "/var/lib/zabbix/snmptraps/snmptraps.log";
#   perl do "/usr/local/share/bonding-agentx/zabbix/zabbix-trap-receiver.pl";
#
# and the same path as SNMPTrapperFile in zabbix_server.conf. snmptrapd must
# load LINUX-BONDING-MIB (-m +LINUX-BONDING-MIB, or "mibs +LINUX-BONDING-MIB"
# in snmp.conf) so notifications and objects appear by name, as the
# template's snmptrap[] items expect.

package BondingAgentx::ZabbixTrapReceiver;

use strict;
use warnings;
use Fcntl qw(:flock);
use POSIX qw(strftime);
use NetSNMP::ASN qw(ASN_OCTET_STR);
use NetSNMP::TrapReceiver;

# Zabbix's default SNMPTrapperFile; set $main::ZabbixTrapFile before loading.
my $DEFAULT_FILE = '/tmp/zabbix_traps.tmp';

my $SNMP_TRAP_ADDRESS = '1.3.6.1.6.3.18.1.3.0';
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

# The sender's address from snmptrapd's transport text, e.g.
# "UDP: [192.0.2.7]:40213->[192.0.2.1]:162" or "UDP/IPv6: [2001:db8::7]:40213->[...]:162".
sub sender_address {
    my ($received_from) = @_;
    return $1 if defined $received_from && $received_from =~ /\[([^\]]+)\]/;
    return $received_from if defined $received_from && $received_from =~ /^[0-9A-Fa-f.:]+$/;
    return 'unknown';
}

sub hex_string {
    my ($bytes) = @_;
    return 'Hex-STRING: ' . join(' ', map { sprintf '%02X', ord } split //, $bytes);
}

# A varbind's value on one line.
sub value_text {
    my ($type, $text, $raw) = @_;
    if ($type == ASN_OCTET_STR && defined $raw) {
        return hex_string($raw) if $raw =~ /[^\x20-\x7e]/ || $raw =~ /ZBXTRAP/;
        return "STRING: $raw";
    }
    $text = '' unless defined $text;
    $text =~ s/[\r\n]+/ /g;
    $text =~ s/ZBXTRAP/ZBX-TRAP/g;
    return $text;
}

sub receive {
    my ($pdu, $varbinds) = @_;
    my ($address, $notification) = (sender_address($pdu->{receivedfrom}), 'unknown notification');
    my @lines;
    for my $vb (@$varbinds) {
        my ($oid, $text, $type, $raw) = @$vb;
        my $numeric = join '.', $oid->to_array;
        my $name = "$oid";
        $name =~ s/[\r\n]+/ /g;
        if ($numeric eq '1.3.6.1.6.3.1.1.4.1.0') {
            ($notification = defined $text ? $text : '') =~ s/^OID: //;
        } elsif ($numeric eq $SNMP_TRAP_ADDRESS && defined $text && $text =~ /([0-9.]+)\s*$/) {
            $address = $1;
        }
        push @lines, "$name = " . value_text($type, $text, $raw);
    }
    my $version = $VERSION{ $pdu->{version} // -1 } // "version $pdu->{version}";
    my $via = defined $pdu->{receivedfrom} ? $pdu->{receivedfrom} : 'unknown transport';
    my $record = join "\n",
        strftime('%H:%M:%S %Y/%m/%d', localtime) . " ZBXTRAP $address",
        "$notification from $via, $version",
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
