package io.tcplens.export.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StrictAddressesTest {

    @ParameterizedTest
    @CsvSource({
            "203.0.113.7, 203.0.113.7",
            "203.0.113.0/24, 203.0.113.0/24",
            "' 198.51.100.9 ', 198.51.100.9",
            "2001:DB8::1, 2001:db8::1",
            "2001:db8:0:0:0:0:0:0/32, 2001:db8::/32",
            "2001:0db8::0001, 2001:db8::1",
            "203.0.113.7/32, 203.0.113.7",
            "::ffff:127.0.0.1, 127.0.0.1",
            "::ffff:203.0.113.0/120, 203.0.113.0/24",
            "0.0.0.0/0, 0.0.0.0/0"})
    void parsesNumericAddressesAndBlocks(String in, String canonical) throws Exception {
        assertEquals(canonical, StrictAddresses.canonical(StrictAddresses.parse(in)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "localhost", "1.2.3", "1.2.3.4.5", "1.2.3.4/33", "2001:db8::/129",
            "01.2.3.4", "1.2.3.04", "1.2.3.4-9", "1.2.3.*", "*", "fe80::1%eth0", "0x7f.0.0.1", "127.1",
            "1.2.3.4/255.255.255.0", "1.2.3.4/", "/24", "1.2.3.4 5.6.7.8", "1.2.3.4\nip saddr", "1.2.3.4;drop",
            "2001:db8::1/64/64", "1.2.3.4/024"})
    void rejectsAnythingButPlainNumericText(String in) {
        InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> StrictAddresses.parse(in));
        String shown = in.strip().replace('\n', '?');
        assertTrue(e.getMessage().contains(shown.length() > 80 ? shown.substring(0, 70) : shown),
                () -> "message should name the input: " + e.getMessage());
        assertTrue(e.getMessage().indexOf('\n') < 0, "one line");
    }

    @Test
    void emptyIsAnError() {
        assertEquals("empty address", assertThrows(InvalidAddressException.class, () -> StrictAddresses.parse("  ")).getMessage());
    }

    @Test
    void hostBitsInACidrAreAnErrorThatNamesTheNetwork() {
        InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> StrictAddresses.parse("10.1.2.3/8"));
        assertEquals("'10.1.2.3/8' has host bits set; the network is 10.0.0.0/8", e.getMessage());
        e = assertThrows(InvalidAddressException.class, () -> StrictAddresses.parse("2001:db8::1/64"));
        assertEquals("'2001:db8::1/64' has host bits set; the network is 2001:db8::/64", e.getMessage());
    }

    @Test
    void cidrAlwaysHasAPrefix() throws Exception {
        assertEquals("203.0.113.7/32", StrictAddresses.cidr(StrictAddresses.parse("203.0.113.7")));
        assertEquals("2001:db8::1/128", StrictAddresses.cidr(StrictAddresses.parse("2001:db8::1")));
    }
}
