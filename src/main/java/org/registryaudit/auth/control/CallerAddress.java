package org.registryaudit.auth.control;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The caller's IP address: the connection's peer, unless that peer is a trusted proxy; then the
 * {@code X-Forwarded-For} list is read from its end, skipping trusted proxies, and the first
 * untrusted address is the caller. A client can prepend anything to that header, so entries
 * before the last untrusted one are never believed.
 */
public final class CallerAddress {

    private static final Pattern LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private record Network(BigInteger prefix, int bits, int length) {

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            return bytes.length * 8 == length
                    && new BigInteger(1, bytes).shiftRight(length - bits).equals(prefix);
        }
    }

    private final List<Network> trusted = new ArrayList<>();

    /** @param trustedProxies addresses or CIDR networks, for example {@code 10.0.0.0/8} or {@code ::1} */
    public CallerAddress(List<String> trustedProxies) {
        for (String entry : trustedProxies) {
            String text = entry.trim();
            if (text.isEmpty()) {
                continue;
            }
            int slash = text.indexOf('/');
            InetAddress address = parse(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException(
                        "registry-audit.trusted-proxies: '" + text + "' is not an IP address or network");
            }
            int length = address.getAddress().length * 8;
            int bits = slash < 0 ? length : Integer.parseInt(text.substring(slash + 1));
            if (bits < 0 || bits > length) {
                throw new IllegalArgumentException(
                        "registry-audit.trusted-proxies: bad prefix length in '" + text + "'");
            }
            trusted.add(new Network(new BigInteger(1, address.getAddress()).shiftRight(length - bits), bits, length));
        }
    }

    public String of(String peer, String forwardedFor) {
        String caller = peer;
        if (forwardedFor == null || forwardedFor.isBlank()) {
            return caller;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0 && isTrusted(caller); i--) {
            String hop = hops[i].trim();
            if (parse(hop) == null) {
                break;
            }
            caller = hop;
        }
        return caller;
    }

    private boolean isTrusted(String text) {
        InetAddress address = parse(text);
        return address != null && trusted.stream().anyMatch(n -> n.contains(address));
    }

    /** An IP literal, never a host name: parsing must not become a DNS lookup. */
    static InetAddress parse(String text) {
        if (text == null || text.isEmpty() || !LITERAL.matcher(text).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
