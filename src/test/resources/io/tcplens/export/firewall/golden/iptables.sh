#!/bin/sh
# TcpLens block rules: iptables + ip6tables (iptables-restore format)
# Generated 2026-11-25T11:40:00Z on host build-host
# Source: live · Linux /proc/net/tcp{,6}
# Selection: remotes with at least 10 SYN_RECV on local port 80
# Requested 8 address(es) or network(s); 3 excluded; the rest merged into 4 entries (2 IPv4, 2 IPv6)
# Effect: drops all inbound traffic from these addresses.
# Excluded for safety (not blocked; force to override):
# - 203.0.113.200 is on the allowlist (allowlist entry 203.0.113.128/25)
# - 192.0.2.1 is this machine's default gateway (192.0.2.1 via eth0)
# - 127.0.0.1 is loopback (127.0.0.0/8)
# Load (as root): sh FILE
# Uses iptables-restore --noflush, which keeps every other rule; never feed it to a plain iptables-restore.
# The undo section at the end removes exactly what this adds.

set -e

iptables-restore --noflush <<'TCPLENS_EOF'
*filter
:TCPLENS-BLOCK - [0:0]
-F TCPLENS-BLOCK
-A TCPLENS-BLOCK -s 198.51.100.0/24 -j DROP
-A TCPLENS-BLOCK -s 203.0.113.7/32 -j DROP
COMMIT
TCPLENS_EOF
iptables -C INPUT -j TCPLENS-BLOCK 2>/dev/null || iptables -I INPUT 1 -j TCPLENS-BLOCK

ip6tables-restore --noflush <<'TCPLENS_EOF'
*filter
:TCPLENS-BLOCK - [0:0]
-F TCPLENS-BLOCK
-A TCPLENS-BLOCK -s 2001:db8:1::/64 -j DROP
-A TCPLENS-BLOCK -s 2001:db8:2::5/128 -j DROP
COMMIT
TCPLENS_EOF
ip6tables -C INPUT -j TCPLENS-BLOCK 2>/dev/null || ip6tables -I INPUT 1 -j TCPLENS-BLOCK

# ---- Undo: run these to remove exactly what this file adds ----
#   iptables -D INPUT -j TCPLENS-BLOCK
#   iptables -F TCPLENS-BLOCK
#   iptables -X TCPLENS-BLOCK
#   ip6tables -D INPUT -j TCPLENS-BLOCK
#   ip6tables -F TCPLENS-BLOCK
#   ip6tables -X TCPLENS-BLOCK
