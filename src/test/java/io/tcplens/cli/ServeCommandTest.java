package io.tcplens.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.export.prometheus.ListenAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code tcplens serve}'s bad input: one line on stderr and a non-zero exit, nothing bound. */
class ServeCommandTest {
    @Test
    void listenTakesIpLiteralsOnlyLoopbackByDefault() throws Exception {
        assertEquals(new ListenAddress(InetAddress.ofLiteral("127.0.0.1"), 9464), ListenAddress.DEFAULT);
        assertTrue(ListenAddress.DEFAULT.isLoopback());
        assertEquals("[::1]:9464", ListenAddress.parse("[::1]:9464").toString());
        assertFalse(ListenAddress.parse("0.0.0.0:9464").isLoopback());
        for (String bad : new String[] {"localhost:9464", "::1:9464", "127.0.0.1", "127.0.0.1:http", "127.0.0.1:70000", ":9464"})
            assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(bad), bad);
    }

    @Test
    void badOptionsAndABusyPortAreOneLineErrors() throws Exception {
        CoreCommandsTest.Run name = CoreCommandsTest.run("serve", "--listen", "localhost:9464");
        assertEquals(2, name.code());
        assertEquals("tcplens: --listen: 'localhost' is not an IP address (names are not looked up)", name.err().strip());
        CoreCommandsTest.Run top = CoreCommandsTest.run("serve", "--top", "0");
        assertEquals(2, top.code());
        assertTrue(top.err().strip().startsWith("tcplens: --top"), top.err());
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            CoreCommandsTest.Run busy = CoreCommandsTest.run("serve", "--listen", "127.0.0.1:" + taken.getLocalPort(), "--source", "proc");
            assertEquals(1, busy.code());
            assertEquals(1, busy.err().strip().lines().count(), busy.err());
            assertTrue(busy.err().startsWith("tcplens: cannot listen on 127.0.0.1:" + taken.getLocalPort()), busy.err());
        }
    }
}
