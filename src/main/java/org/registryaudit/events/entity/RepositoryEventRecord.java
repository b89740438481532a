package org.registryaudit.events.entity;

import java.time.Instant;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * A repository event on the wire, in the Azure column names: what the read API returns and what a
 * JMS producer sends as a canonical record (see docs/jms-contract.md). ReceivedAt and Category are
 * set by the service and ignored on input.
 */
@JsonbPropertyOrder({
    "eventId",
    "timeGenerated",
    "receivedAt",
    "loginServer",
    "operationName",
    "repository",
    "tag",
    "digest",
    "mediaType",
    "artifactType",
    "size",
    "fromRepository",
    "identity",
    "resultType",
    "resultDescription",
    "callerIpAddress",
    "userAgent",
    "httpMethod",
    "durationMs",
    "correlationId",
    "region",
    "category"
})
public record RepositoryEventRecord(
        @JsonbProperty("EventId") String eventId,
        @JsonbProperty("TimeGenerated") Instant timeGenerated,
        @JsonbProperty("ReceivedAt") Instant receivedAt,
        @JsonbProperty("LoginServer") String loginServer,
        @JsonbProperty("OperationName") String operationName,
        @JsonbProperty("Repository") String repository,
        @JsonbProperty("Tag") String tag,
        @JsonbProperty("Digest") String digest,
        @JsonbProperty("MediaType") String mediaType,
        @JsonbProperty("ArtifactType") String artifactType,
        @JsonbProperty("Size") Long size,
        @JsonbProperty("FromRepository") String fromRepository,
        @JsonbProperty("Identity") String identity,
        @JsonbProperty("ResultType") String resultType,
        @JsonbProperty("ResultDescription") String resultDescription,
        @JsonbProperty("CallerIpAddress") String callerIpAddress,
        @JsonbProperty("UserAgent") String userAgent,
        @JsonbProperty("HttpMethod") String httpMethod,
        @JsonbProperty("DurationMs") Long durationMs,
        @JsonbProperty("CorrelationId") String correlationId,
        @JsonbProperty("Region") String region,
        @JsonbProperty("Category") String category) {}
