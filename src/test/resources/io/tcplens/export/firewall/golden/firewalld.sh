#!/bin/sh
# TcpLens block rules: firewalld rich rules
# Generated 2026-11-25T11:40:00Z on host build-host
# Source: live · Linux /proc/net/tcp{,6}
# Selection: remotes with at least 10 SYN_RECV on local port 80
# Requested 8 address(es) or network(s); 3 excluded; the rest merged into 4 entries (2 IPv4, 2 IPv6)
# Effect: drops all inbound traffic from these addresses.
# Excluded for safety (not blocked; force to override):
# - 203.0.113.200 is on the allowlist (allowlist entry 203.0.113.128/25)
# - 192.0.2.1 is this machine's default gateway (192.0.2.1 via eth0)
# - 127.0.0.1 is loopback (127.0.0.0/8)
# Load (as root): sh FILE (rules go into the default zone)
# The undo section at the end removes exactly what this adds.

set -e
firewall-cmd --permanent --add-rich-rule='rule family="ipv4" source address="198.51.100.0/24" drop'
firewall-cmd --permanent --add-rich-rule='rule family="ipv4" source address="203.0.113.7/32" drop'
firewall-cmd --permanent --add-rich-rule='rule family="ipv6" source address="2001:db8:1::/64" drop'
firewall-cmd --permanent --add-rich-rule='rule family="ipv6" source address="2001:db8:2::5/128" drop'
firewall-cmd --reload

# ---- Undo: run these to remove exactly what this file adds ----
#   firewall-cmd --permanent --remove-rich-rule='rule family="ipv4" source address="198.51.100.0/24" drop'
#   firewall-cmd --permanent --remove-rich-rule='rule family="ipv4" source address="203.0.113.7/32" drop'
#   firewall-cmd --permanent --remove-rich-rule='rule family="ipv6" source address="2001:db8:1::/64" drop'
#   firewall-cmd --permanent --remove-rich-rule='rule family="ipv6" source address="2001:db8:2::5/128" drop'
#   firewall-cmd --reload
