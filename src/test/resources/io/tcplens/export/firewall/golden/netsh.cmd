@echo off
REM TcpLens block rules: Windows netsh advfirewall
REM Generated 2026-11-25T11:40:00Z on host build-host
REM Source: live · Linux /proc/net/tcp{,6}
REM Selection: remotes with at least 10 SYN_RECV on local port 80
REM Requested 8 address(es) or network(s); 3 excluded; the rest merged into 4 entries (2 IPv4, 2 IPv6)
REM Effect: drops all inbound traffic from these addresses.
REM Excluded for safety (not blocked; force to override):
REM - 203.0.113.200 is on the allowlist (allowlist entry 203.0.113.128/25)
REM - 192.0.2.1 is this machine's default gateway (192.0.2.1 via eth0)
REM - 127.0.0.1 is loopback (127.0.0.0/8)
REM Load: run from an elevated command prompt: FILE.cmd
REM The undo section at the end removes exactly what this adds.

netsh advfirewall firewall add rule name="TcpLens-Block-20261125T114000Z-1" dir=in action=block profile=any remoteip=198.51.100.0/24,203.0.113.7/32,2001:db8:1::/64,2001:db8:2::5/128

REM ---- Undo: run these to remove exactly what this file adds ----
REM   netsh advfirewall firewall delete rule name="TcpLens-Block-20261125T114000Z-1"
