package org.registryaudit.streaming.control;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.registryaudit.platform.control.TlsTrust;
import org.registryaudit.streaming.entity.DestinationRequest;
import org.registryaudit.streaming.entity.StreamFormat;
import org.registryaudit.streaming.entity.StreamRecord;

/**
 * POSTs records to a URL, signed as Standard Webhooks defines ({@link WebhookSignature}). One
 * record is one event ({@code application/cloudevents+json} in the CloudEvents format); several
 * are a JSON array ({@code application/cloudevents-batch+json}). The webhook-id is the record's id,
 * or for a batch its first record's id and its size; every record carries its own id as well. Any
 * 2xx answer is delivery; anything else is retried.
 */
final class WebhookSender implements Sender {

    static final String USER_AGENT = "registry-audit-stream";

    private final URI url;
    private final StreamFormat format;
    private final WebhookSignature signature;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient http;

    WebhookSender(DestinationRequest destination, WebhookSignature signature, Duration timeout, Clock clock) {
        this.url = URI.create(destination.address());
        this.format = destination.format();
        this.signature = signature;
        this.timeout = timeout;
        this.clock = clock;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
        if (destination.caCertificates() != null) {
            builder.sslContext(TlsTrust.trusting(destination.caCertificates()));
        }
        this.http = builder.build();
    }

    @Override
    public void send(List<StreamRecord> records) throws IOException, InterruptedException {
        String body;
        String id;
        String contentType;
        if (records.size() == 1) {
            body = Formats.render(format, records.get(0));
            id = records.get(0).id();
            contentType = Formats.mediaType(format);
        } else {
            StringBuilder b = new StringBuilder("[");
            for (StreamRecord record : records) {
                b.append(b.length() > 1 ? "," : "").append(Formats.render(format, record));
            }
            body = b.append(']').toString();
            id = records.get(0).id() + "+" + (records.size() - 1);
            contentType =
                    format == StreamFormat.CLOUDEVENTS ? "application/cloudevents-batch+json" : "application/json";
        }
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", contentType)
                .header("User-Agent", USER_AGENT)
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signature.sign(id, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            String text = response.body() == null ? "" : response.body().strip();
            throw new IOException("HTTP " + response.statusCode() + " from " + url.getHost() + url.getPath()
                    + (text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "…" : text)));
        }
    }

    @Override
    public void close() {
        // the client's connections close with it when it is collected
    }
}
