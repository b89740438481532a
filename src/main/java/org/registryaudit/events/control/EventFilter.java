package org.registryaudit.events.control;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The filters of the read API: exact matches on columns, and a half-open time range
 * [from, to) on TimeGenerated. Null means "any".
 */
public record EventFilter(
        String loginServer,
        String repository,
        String operation,
        String identity,
        String result,
        String tag,
        String digest,
        Instant from,
        Instant to) {

    /** Entity attribute → required value, for the filters that are set. */
    Map<String, Object> equalities() {
        Map<String, Object> equal = new LinkedHashMap<>();
        put(equal, "loginServer", loginServer);
        put(equal, "repository", repository);
        put(equal, "operationName", operation);
        put(equal, "identity", identity);
        put(equal, "resultType", result);
        put(equal, "tag", tag);
        put(equal, "digest", digest);
        return equal;
    }

    private static void put(Map<String, Object> map, String attribute, String value) {
        if (value != null && !value.isEmpty()) {
            map.put(attribute, value);
        }
    }
}
