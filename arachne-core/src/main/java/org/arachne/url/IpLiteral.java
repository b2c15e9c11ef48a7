package org.arachne.url;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/**
 * Reads IP address literals: an IPv4 dotted quad ({@code 127.0.0.11}), or an IPv6 address bare
 * ({@code ::1}) or in URL brackets ({@code [::1]}), with an optional zone ({@code fe80::1%eth0},
 * {@code [fe80::1%25eth0]}) that is dropped. It never looks a name up, unlike {@link
 * InetAddress#getByName}, which treats whatever is not a literal as a host name to resolve.
 *
 * <p>The one parser of the crawler (issue #8: {@code dns_overrides} and {@code
 * deny_private_addresses} each had a regex, and they differed). IPv4 is strict: four decimal
 * numbers up to 255 without leading zeros, so {@code 010.0.0.1} (octal to some resolvers), {@code
 * 127.1} and {@code 2130706433} are not literals here.
 */
public final class IpLiteral {
    private IpLiteral() {}

    /** Whether the text is an IP literal in one of the forms above. */
    public static boolean isLiteral(String text) {
        return parse(text) != null;
    }

    /**
     * The address the literal names (an {@code Inet4Address} for IPv4 and IPv4-mapped IPv6), or
     * null when the text is not an IP literal. Never blocks.
     */
    public static @Nullable InetAddress parse(String text) {
        byte[] bytes = ipv4(text, 0, text.length());
        if (bytes == null) {
            String bare =
                    text.length() > 2 && text.startsWith("[") && text.endsWith("]")
                            ? text.substring(1, text.length() - 1)
                            : text;
            int zone = bare.indexOf('%');
            if (zone == bare.length() - 1) {
                return null;
            }
            bytes = ipv6(zone >= 0 ? bare.substring(0, zone) : bare);
        }
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    /** The four bytes of a dotted quad in {@code text[start, end)}, or null. */
    private static byte @Nullable [] ipv4(String text, int start, int end) {
        byte[] bytes = new byte[4];
        int part = 0;
        int i = start;
        while (part < 4) {
            int digits = 0;
            int value = 0;
            while (i < end && digits < 4 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                value = value * 10 + text.charAt(i) - '0';
                digits++;
                i++;
            }
            if (digits == 0
                    || digits > 3
                    || value > 255
                    || digits > 1 && text.charAt(i - digits) == '0') {
                return null;
            }
            bytes[part++] = (byte) value;
            if (part < 4) {
                if (i >= end || text.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == end ? bytes : null;
    }

    /**
     * The sixteen bytes of an IPv6 address (RFC 4291 section 2.2: eight groups of up to four hex
     * digits, one {@code ::} for one or more zero groups, an IPv4 dotted quad as the last 32 bits),
     * or null.
     */
    private static byte @Nullable [] ipv6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] head = groups(text, 0, gap >= 0 ? gap : text.length());
        int[] tail = gap >= 0 ? groups(text, gap + 2, text.length()) : new int[0];
        if (head == null || tail == null) {
            return null;
        }
        int count = head.length + tail.length;
        if (gap < 0 ? count != 8 : count > 7) {
            return null;
        }
        int[] all = new int[8];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, 8 - tail.length, tail.length);
        byte[] bytes = new byte[16];
        for (int g = 0; g < 8; g++) {
            bytes[2 * g] = (byte) (all[g] >> 8);
            bytes[2 * g + 1] = (byte) all[g];
        }
        return bytes;
    }

    /**
     * The 16-bit groups of {@code text[start, end)}, colon-separated, the last of which may be a
     * dotted quad (two groups); empty for an empty range; null when malformed.
     */
    private static int @Nullable [] groups(String text, int start, int end) {
        if (start == end) {
            return new int[0];
        }
        int[] groups = new int[8];
        int count = 0;
        int i = start;
        while (true) {
            int next = text.indexOf(':', i);
            int groupEnd = next < 0 || next > end ? end : next;
            if (groupEnd == end && text.lastIndexOf('.', end - 1) >= i) {
                byte[] quad = ipv4(text, i, end);
                if (quad == null || count > 6) {
                    return null;
                }
                groups[count++] = (quad[0] & 0xff) << 8 | quad[1] & 0xff;
                groups[count++] = (quad[2] & 0xff) << 8 | quad[3] & 0xff;
                break;
            }
            int length = groupEnd - i;
            if (length == 0 || length > 4 || count == 8) {
                return null;
            }
            int value = 0;
            for (int j = i; j < groupEnd; j++) {
                int digit =
                        PercentEncoding.hexValue(text.charAt(j)); // not Character.digit: ASCII only
                if (digit < 0) {
                    return null;
                }
                value = value << 4 | digit;
            }
            groups[count++] = value;
            if (groupEnd == end) {
                break;
            }
            i = groupEnd + 1;
        }
        int[] result = new int[count];
        System.arraycopy(groups, 0, result, 0, count);
        return result;
    }
}
