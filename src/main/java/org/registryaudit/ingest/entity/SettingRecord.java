package org.registryaudit.ingest.entity;

import java.util.List;

/**
 * A diagnostic setting on the wire.
 *
 * @param collect whether events of this category are stored at all (false: dropped at ingest)
 * @param archive whether records past their retention move to the archive (false: they stay)
 * @param retentionDays how long records stay in the database before they are archived
 * @param streamTo the stream destinations its records go to as they are stored (none: empty)
 */
public record SettingRecord(
        String loginServer,
        String category,
        boolean collect,
        boolean archive,
        int retentionDays,
        List<String> streamTo) {

    public SettingRecord {
        streamTo = streamTo == null ? List.of() : List.copyOf(streamTo);
    }
}
