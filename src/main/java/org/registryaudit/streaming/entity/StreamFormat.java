package org.registryaudit.streaming.entity;

/**
 * What one streamed record looks like.
 *
 * <ul>
 *   <li>{@code JSON}: the archive's record, Azure's shape for registry logs in a storage account.
 *   <li>{@code CEF}: ArcSight's Common Event Format, one line.
 *   <li>{@code OCSF}: the Open Cybersecurity Schema Framework 1.1: Authentication (3002) for login
 *       events, API Activity (6003) for repository events.
 *   <li>{@code CLOUDEVENTS}: a CloudEvents 1.0 structured JSON event whose data is the JSON record
 *       (webhooks; a batch is a JSON array of them).
 * </ul>
 */
public enum StreamFormat {
    JSON,
    CEF,
    OCSF,
    CLOUDEVENTS
}
