package org.registryaudit.changefeed.control;

/**
 * The paging parameters of a changefeed request, read the way notary-server reads them, with the
 * DTR document's meaning of {@code change_id=1} and a bound on the page size:
 * <ul>
 * <li>{@code records} is required, a 32-bit signed integer; {@code 0} means 100; a negative value
 * pages backwards; its magnitude may not exceed the configured maximum.</li>
 * <li>{@code change_id} is optional, {@code 0} by default: the exclusive cursor. {@code 0} starts at
 * the beginning (or, with negative records, at the most recent); {@code 1} and any negative value
 * start at the most recent and page backwards whatever the sign of {@code records}.</li>
 * </ul>
 *
 * @param cursor the exclusive position to page from; {@link Long#MAX_VALUE} for "the most recent"
 * @param backwards whether the page holds the records before the cursor (still returned oldest first)
 */
public record FeedRequest(long cursor, int limit, boolean backwards) {

    public static final int DEFAULT_RECORDS = 100;

    public static FeedRequest parse(String records, String changeId, int maxRecords) {
        int count = records(records, maxRecords);
        long id = changeId(changeId);
        boolean fromLatest = id == 1 || id < 0 || (id == 0 && count < 0);
        int limit = count == 0 ? DEFAULT_RECORDS : Math.abs(count);
        if (fromLatest) {
            return new FeedRequest(Long.MAX_VALUE, limit, true);
        }
        return new FeedRequest(id, limit, count < 0);
    }

    private static int records(String records, int maxRecords) {
        if (records == null || records.isBlank()) {
            throw new InvalidFeedRequestException("the records parameter is required: the number of records to "
                    + "return, negative to page backwards, 0 for " + DEFAULT_RECORDS);
        }
        int count;
        try {
            count = Integer.parseInt(signedDigits(records)); // as notary-server's ParseInt: no space, no '+'

        } catch (NumberFormatException e) {
            throw new InvalidFeedRequestException(
                    "invalid records parameter '" + records + "': must be a 32-bit signed integer");
        }
        if (Math.abs((long) count) > maxRecords) {
            throw new InvalidFeedRequestException("invalid records parameter " + count + ": at most " + maxRecords
                    + " records are returned in one page (from -" + maxRecords + " to " + maxRecords + ")");
        }
        return count;
    }

    /** The text if it is an optional '-' and digits, else something Integer.parseInt refuses. */
    private static String signedDigits(String text) {
        return text.matches("-?[0-9]+") ? text : "not a number";
    }

    private static long changeId(String changeId) {
        if (changeId == null || changeId.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(signedDigits(changeId)); // notary-server's IDs are 32-bit too
        } catch (NumberFormatException e) {
            throw new InvalidFeedRequestException("invalid change_id parameter '" + changeId + "': must be the ID "
                    + "of a record from an earlier page, 0 (from the beginning) or 1 (from the most recent), a 32-bit "
                    + "signed integer");
        }
    }
}
