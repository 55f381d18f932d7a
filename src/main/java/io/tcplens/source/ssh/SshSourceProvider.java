package io.tcplens.source.ssh;

import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.SpecSourceProvider;

/**
 * {@code --source ssh://[user@]host[:port]}: a remote Linux server's table over SSH, nothing
 * installed there. Keys, agent, ~/.ssh/config and known_hosts as {@link SshSettings#ofUser()} finds them.
 */
public final class SshSourceProvider extends SpecSourceProvider {
    public SshSourceProvider() {
        super("ssh", () -> "a remote Linux server over SSH: ssh://[user@]host[:port] (host key must be in known_hosts)");
    }

    @Override
    public SocketTableSource create(String argument) throws SourceException {
        SshTarget t;
        try {
            t = SshTarget.parse(argument);
        } catch (IllegalArgumentException e) {
            throw new SourceException(e.getMessage());
        }
        return new SshSource(t, SshSettings.ofUser(), true);
    }
}
