#!/bin/sh
# TcpLens block rules: ipset + iptables match-set
# Generated 2026-11-25T11:40:00Z on host build-host
# Source: live · Linux /proc/net/tcp{,6}
# Selection: remotes with at least 10 SYN_RECV on local port 80
# Requested 8 address(es) or network(s); 3 excluded; the rest merged into 4 entries (2 IPv4, 2 IPv6)
# Effect: drops all inbound traffic from these addresses; entries expire 1h after loading.
# Excluded for safety (not blocked; force to override):
# - 203.0.113.200 is on the allowlist (allowlist entry 203.0.113.128/25)
# - 192.0.2.1 is this machine's default gateway (192.0.2.1 via eth0)
# - 127.0.0.1 is loopback (127.0.0.0/8)
# Load (as root): sh FILE
# The undo section at the end removes exactly what this adds.

set -e
ipset restore -exist <<'TCPLENS_EOF'
create tcplens-block-v4 hash:net family inet maxelem 65536 timeout 3600
flush tcplens-block-v4
add tcplens-block-v4 198.51.100.0/24
add tcplens-block-v4 203.0.113.7/32
create tcplens-block-v6 hash:net family inet6 maxelem 65536 timeout 3600
flush tcplens-block-v6
add tcplens-block-v6 2001:db8:1::/64
add tcplens-block-v6 2001:db8:2::5/128
TCPLENS_EOF
iptables -C INPUT -m set --match-set tcplens-block-v4 src -j DROP 2>/dev/null || iptables -I INPUT 1 -m set --match-set tcplens-block-v4 src -j DROP
ip6tables -C INPUT -m set --match-set tcplens-block-v6 src -j DROP 2>/dev/null || ip6tables -I INPUT 1 -m set --match-set tcplens-block-v6 src -j DROP

# ---- Undo: run these to remove exactly what this file adds ----
#   iptables -D INPUT -m set --match-set tcplens-block-v4 src -j DROP
#   ip6tables -D INPUT -m set --match-set tcplens-block-v6 src -j DROP
#   ipset destroy tcplens-block-v4
#   ipset destroy tcplens-block-v6
