package io.tcplens.cli;

import io.tcplens.common.AppVersion;
import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"TcpLens " + AppVersion.version(), "Java " + Runtime.version()};
    }
}
