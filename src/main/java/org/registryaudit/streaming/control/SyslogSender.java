package org.registryaudit.streaming.control;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import jakarta.json.JsonObject;

import org.registryaudit.platform.control.TlsTrust;
import org.registryaudit.streaming.entity.DestinationRequest;
import org.registryaudit.streaming.entity.StreamFormat;
import org.registryaudit.streaming.entity.StreamRecord;
import org.registryaudit.streaming.entity.Transport;

/**
 * Syslog over TLS (RFC 5425) or TCP (RFC 6587), octet-counted, on one connection kept open. TLS
 * checks the collector's certificate and its name against the address, as RFC 5425 asks.
 *
 * <p>Syslog has no acknowledgement: a record counts as sent once written and flushed to the
 * connection. Before each batch the connection is checked for a collector that has closed it (a
 * restart, say), and reopened, so that a batch is not written into a dead connection; a
 * collector that dies after taking bytes into its socket buffer can still lose them, which only
 * a protocol with acknowledgements (RELP) would prevent.
 */
final class SyslogSender implements Sender {

    private final String host;
    private final int port;
    private final boolean tls;
    private final StreamFormat format;
    private final String caCertificates;
    private final Duration timeout;
    private Socket socket;
    private OutputStream out;

    SyslogSender(DestinationRequest destination, Duration timeout) {
        HostPort address = HostPort.parse(destination.address());
        this.host = address.host();
        this.port = address.port();
        this.tls = destination.transport() == Transport.SYSLOG_TLS;
        this.format = destination.format();
        this.caCertificates = destination.caCertificates();
        this.timeout = timeout;
    }

    /** A syslog address: {@code host:port}, or {@code [v6-address]:port}. */
    record HostPort(String host, int port) {
        static HostPort parse(String address) {
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || colon == address.length() - 1) {
                throw new IllegalArgumentException("a syslog address is host:port, not '" + address + "'");
            }
            String host = address.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("the port of '" + address + "' is not 1 to 65535");
            }
            return new HostPort(host, port);
        }
    }

    @Override
    public void send(List<StreamRecord> records) throws IOException {
        if (socket == null || closedByPeer()) {
            close();
            open();
        }
        try {
            for (StreamRecord record : records) {
                JsonObject json = Formats.parse(record);
                out.write(SyslogMessage.framed(SyslogMessage.of(record, json, Formats.render(format, record, json))));
            }
            out.flush();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void open() throws IOException {
        Socket s;
        if (tls) {
            SSLContext context;
            try {
                context = caCertificates == null ? SSLContext.getDefault() : TlsTrust.trusting(caCertificates);
            } catch (NoSuchAlgorithmException e) {
                throw new IOException("no TLS in this Java runtime", e);
            }
            SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket();
            SSLParameters parameters = ssl.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(parameters);
            s = ssl;
        } else {
            s = new Socket();
        }
        try {
            s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            if (s instanceof SSLSocket ssl) {
                ssl.startHandshake();
            }
            socket = s;
            // a batch goes out in few large TLS records, not one per message: encryption per record
            // was most of the syslog sender's time
            out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** A collector never writes to us: a read that ends the stream means it has closed the connection. */
    private boolean closedByPeer() {
        try {
            socket.setSoTimeout(1);
            InputStream in = socket.getInputStream();
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            try {
                socket.setSoTimeout((int) timeout.toMillis());
            } catch (IOException e) {
                // the next write finds out
            }
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a broken connection
            }
            socket = null;
            out = null;
        }
    }
}
