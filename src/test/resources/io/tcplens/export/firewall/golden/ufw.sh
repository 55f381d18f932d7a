#!/bin/sh
# TcpLens block rules: ufw
# Generated 2026-11-25T11:40:00Z on host build-host
# Source: live · Linux /proc/net/tcp{,6}
# Selection: remotes with at least 10 SYN_RECV on local port 80
# Requested 8 address(es) or network(s); 3 excluded; the rest merged into 4 entries (2 IPv4, 2 IPv6)
# Effect: drops all inbound traffic from these addresses.
# Excluded for safety (not blocked; force to override):
# - 203.0.113.200 is on the allowlist (allowlist entry 203.0.113.128/25)
# - 192.0.2.1 is this machine's default gateway (192.0.2.1 via eth0)
# - 127.0.0.1 is loopback (127.0.0.0/8)
# Load (as root): sh FILE (needs ufw 0.36 or later for prepend)
# Each rule goes first in its family's list, like ufw insert 1, but also works for IPv6.
# The undo section at the end removes exactly what this adds.

set -e
ufw prepend deny from 198.51.100.0/24 to any comment 'tcplens block'
ufw prepend deny from 203.0.113.7/32 to any comment 'tcplens block'
ufw prepend deny from 2001:db8:1::/64 to any comment 'tcplens block'
ufw prepend deny from 2001:db8:2::5/128 to any comment 'tcplens block'

# ---- Undo: run these to remove exactly what this file adds ----
#   ufw delete deny from 198.51.100.0/24 to any
#   ufw delete deny from 203.0.113.7/32 to any
#   ufw delete deny from 2001:db8:1::/64 to any
#   ufw delete deny from 2001:db8:2::5/128 to any
