package org.registryaudit.changefeed.entity;

import java.time.Instant;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** One record of a changefeed response, in notary-server's field names and order. */
@JsonbPropertyOrder({"id", "createdAt", "gun", "version", "sha256", "category"})
public record Change(
        @JsonbProperty("ID") String id,
        @JsonbProperty("CreatedAt") Instant createdAt,
        @JsonbProperty("GUN") String gun,
        @JsonbProperty("Version") int version,
        @JsonbProperty("SHA256") String sha256,
        @JsonbProperty("Category") String category) {}
