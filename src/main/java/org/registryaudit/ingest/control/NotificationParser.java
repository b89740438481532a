package org.registryaudit.ingest.control;

import java.util.Locale;

import jakarta.json.JsonObject;

import org.registryaudit.events.entity.RepositoryEvent;
import org.registryaudit.events.entity.RepositoryEventRecord;

/**
 * Turns one event of a CNCF distribution notification envelope into a repository event. The
 * mapping of registry actions to OperationName is documented in docs/jms-contract.md:
 * manifest push → Push, blob push → PushBlob, pull → Pull, mount → Mount, delete by digest →
 * Delete, delete by tag → Untag.
 */
public class NotificationParser {

    static final String OCTET_STREAM = "application/octet-stream";
    /** Notifications only report requests the registry served. */
    static final String SERVED = "200";

    public RepositoryEventRecord parse(JsonObject event, String path, String loginServerOverride) {
        Fields fields = new Fields(event, path);
        Fields target = fields.object("target");
        Fields request = fields.object("request");
        String action = fields.required("action", 32);
        String tag = target.text("tag", 128);
        String mediaType = target.text("mediaType", 255);
        String url = target.text("url", 4096);
        String loginServer = firstNonBlank(
                loginServerOverride,
                request.text("host", 255),
                fields.object("source").text("addr", 255));
        if (loginServer == null) {
            throw new InvalidMessageException(path + " names no login server: request.host and source.addr are empty"
                    + " and the message has no loginServer property");
        }
        Long size = target.number("size");
        return new RepositoryEventRecord(
                fields.required("id", 128),
                fields.time("timestamp"),
                null,
                loginServer,
                operationName(action, tag, mediaType, url, path),
                target.required("repository", 255),
                tag,
                target.text("digest", 160),
                mediaType,
                target.text("artifactType", 255),
                size != null ? size : target.number("length"),
                target.text("fromRepository", 255),
                fields.object("actor").text("name", 255),
                SERVED,
                SERVED,
                callerIp(request.text("addr", 255)),
                request.text("useragent", 1024),
                request.text("method", 16),
                null,
                request.text("id", 128),
                null,
                RepositoryEvent.CATEGORY);
    }

    static String operationName(String action, String tag, String mediaType, String url, String path) {
        return switch (action.toLowerCase(Locale.ROOT)) {
            case "push" -> isManifest(tag, mediaType, url) ? "Push" : "PushBlob";
            case "pull" -> "Pull";
            case "mount" -> "Mount";
            case "delete" -> tag != null ? "Untag" : "Delete";
            default ->
                throw new InvalidMessageException(
                        path + ".action is '" + action + "'; expected push, pull, mount or delete");
        };
    }

    private static boolean isManifest(String tag, String mediaType, String url) {
        if (url != null) {
            return url.contains("/manifests/");
        }
        return tag != null || (mediaType != null && !OCTET_STREAM.equals(mediaType));
    }

    /** The registry reports the client as ip:port ([v6]:port for IPv6); Azure keeps the address only. */
    static String callerIp(String addr) {
        if (addr == null) {
            return null;
        }
        if (addr.startsWith("[")) {
            int end = addr.indexOf(']');
            return end > 0 ? addr.substring(1, end) : addr;
        }
        int colon = addr.lastIndexOf(':');
        return colon > 0 && addr.indexOf(':') == colon ? addr.substring(0, colon) : addr;
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
