# TcpLens block rules: Windows PowerShell (New-NetFirewallRule)
# Generated 2026-11-25T11:40:00Z on host build-host
# Source: live · Linux /proc/net/tcp{,6}
# Selection: remotes with at least 10 SYN_RECV on local port 80
# Requested 8 address(es) or network(s); 3 excluded; the rest merged into 4 entries (2 IPv4, 2 IPv6)
# Effect: drops all inbound traffic from these addresses.
# Excluded for safety (not blocked; force to override):
# - 203.0.113.200 is on the allowlist (allowlist entry 203.0.113.128/25)
# - 192.0.2.1 is this machine's default gateway (192.0.2.1 via eth0)
# - 127.0.0.1 is loopback (127.0.0.0/8)
# Load: run in an elevated PowerShell: powershell -ExecutionPolicy Bypass -File FILE
# The undo section at the end removes exactly what this adds.

$ErrorActionPreference = 'Stop'
New-NetFirewallRule -Name 'TcpLens-Block-20261125T114000Z-1' -DisplayName 'TcpLens block 20261125T114000Z (1/1)' -Group 'TcpLens' -Direction Inbound -Action Block -Profile Any -RemoteAddress @(
    '198.51.100.0/24',
    '203.0.113.7/32',
    '2001:db8:1::/64',
    '2001:db8:2::5/128'
) | Out-Null

# ---- Undo: run these to remove exactly what this file adds ----
#   Remove-NetFirewallRule -Name 'TcpLens-Block-20261125T114000Z-1'
