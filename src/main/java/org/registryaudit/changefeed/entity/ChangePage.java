package org.registryaudit.changefeed.entity;

import java.util.List;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** A changefeed response: {@code {"count": n, "records": [...]}}, oldest first. */
@JsonbPropertyOrder({"count", "records"})
public record ChangePage(int count, List<Change> records) {

    public static ChangePage of(List<Change> records) {
        return new ChangePage(records.size(), records);
    }
}
