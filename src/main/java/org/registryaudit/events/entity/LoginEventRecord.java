package org.registryaudit.events.entity;

import java.time.Instant;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** A login event on the wire, in the Azure column names (read API output and canonical JMS input). */
@JsonbPropertyOrder({
    "eventId",
    "timeGenerated",
    "receivedAt",
    "loginServer",
    "operationName",
    "identity",
    "jwtId",
    "resultType",
    "resultDescription",
    "callerIpAddress",
    "userAgent",
    "durationMs",
    "correlationId",
    "region",
    "category"
})
public record LoginEventRecord(
        @JsonbProperty("EventId") String eventId,
        @JsonbProperty("TimeGenerated") Instant timeGenerated,
        @JsonbProperty("ReceivedAt") Instant receivedAt,
        @JsonbProperty("LoginServer") String loginServer,
        @JsonbProperty("OperationName") String operationName,
        @JsonbProperty("Identity") String identity,
        @JsonbProperty("JwtId") String jwtId,
        @JsonbProperty("ResultType") String resultType,
        @JsonbProperty("ResultDescription") String resultDescription,
        @JsonbProperty("CallerIpAddress") String callerIpAddress,
        @JsonbProperty("UserAgent") String userAgent,
        @JsonbProperty("DurationMs") Long durationMs,
        @JsonbProperty("CorrelationId") String correlationId,
        @JsonbProperty("Region") String region,
        @JsonbProperty("Category") String category) {}
