package org.registryaudit.query.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.registryaudit.platform.entity.ColumnType;
import org.registryaudit.platform.entity.Visibility;

class KqlTranslatorTest {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final Visibility LIMITED = new Visibility(List.of("team-a/*"), "alice");

    static KqlTranslator.Translation translate(String query) {
        return KqlTranslator.translate(query, Visibility.EVERYTHING, SqlDialect.POSTGRESQL, NOW);
    }

    static final String REPOSITORY_COLUMNS = "TimeGenerated LoginServer OperationName Repository Tag Digest MediaType"
            + " ArtifactType Size FromRepository Identity ResultType ResultDescription CallerIpAddress UserAgent"
            + " HttpMethod DurationMs CorrelationId Region EventId ReceivedAt Category Type";

    /** Every query of the reference documents: the columns it answers with, and the tables it reads. */
    static Stream<Arguments> documentQueries() {
        return Stream.of(
                Arguments.of(
                        "ContainerRegistryRepositoryEvents\n| where TimeGenerated > ago(1d) ",
                        REPOSITORY_COLUMNS,
                        "ContainerRegistryRepositoryEvents"),
                Arguments.of(
                        "ContainerRegistryRepositoryEvents | union ContainerRegistryLoginEvents | top 100 by"
                                + " TimeGenerated | project TimeGenerated, LoginServer, OperationName, Identity,"
                                + " Repository, DurationMs, Region, ResultType",
                        "TimeGenerated LoginServer OperationName Identity Repository DurationMs Region ResultType",
                        "ContainerRegistryRepositoryEvents ContainerRegistryLoginEvents"),
                Arguments.of(
                        "ContainerRegistryRepositoryEvents | where OperationName contains \"Delete\""
                                + " | project LoginServer, OperationName, Repository, Identity, CallerIpAddress",
                        "LoginServer OperationName Repository Identity CallerIpAddress",
                        "ContainerRegistryRepositoryEvents"),
                Arguments.of(
                        "ContainerRegistryLoginEvents | where ResultDescription != \"200\""
                                + " | project TimeGenerated, Identity, CallerIpAddress, ResultDescription",
                        "TimeGenerated Identity CallerIpAddress ResultDescription",
                        "ContainerRegistryLoginEvents"),
                Arguments.of(
                        "ContainerRegistryRepositoryEvents | where TimeGenerated > ago(1d) | summarize count() by"
                                + " Repository",
                        "Repository count_",
                        "ContainerRegistryRepositoryEvents"));
    }

    @ParameterizedTest
    @MethodSource("documentQueries")
    void documentQueriesTranslate(String query, String columns, String tables) {
        KqlTranslator.Translation t = translate(query);
        assertEquals(List.of(columns.split(" ")), List.copyOf(t.columns().keySet()), t.sql());
        for (String table : tables.split(" ")) {
            assertTrue(t.sql().contains(" FROM " + table), table + " is read: " + t.sql());
        }
        if (query.contains("ago(1d)")) {
            assertEquals(List.of(NOW.minus(Duration.ofDays(1))), t.params(), "ago(1d) is one bound instant");
        }
    }

    @Test
    void agoIsABoundInstantAndTheColumnsKeepTheirTypes() {
        KqlTranslator.Translation t = translate("ContainerRegistryRepositoryEvents | where TimeGenerated > ago(1d)"
                + " | project TimeGenerated, Size, Repository");
        assertTrue(
                t.params().contains(NOW.minus(Duration.ofDays(1))), t.params().toString());
        assertEquals(
                List.of(ColumnType.DATETIME, ColumnType.LONG, ColumnType.STRING),
                List.copyOf(t.columns().values()));
    }

    @Test
    void summarizeNamesItsColumnsAsKustoDoes() {
        KqlTranslator.Translation t =
                translate("ContainerRegistryRepositoryEvents | summarize count(), dcount(Identity),"
                        + " sum(Size), avg(DurationMs), n = countif(Size > 10) by bin(TimeGenerated, 1h), Repository");
        assertEquals(
                List.of("TimeGenerated", "Repository", "count_", "dcount_Identity", "sum_Size", "avg_DurationMs", "n"),
                List.copyOf(t.columns().keySet()));
        assertEquals(ColumnType.REAL, t.columns().get("avg_DurationMs"));
    }

    @Test
    void unionHasEveryColumnOfEverySide() {
        KqlTranslator.Translation t =
                translate("union ContainerRegistryRepositoryEvents, ContainerRegistryLoginEvents");
        assertTrue(
                t.columns().containsKey("Repository") && t.columns().containsKey("JwtId"),
                t.columns().toString());
        assertTrue(t.sql().contains("CAST(NULL AS VARCHAR(1024)) AS \"JwtId\""), t.sql());
    }

    @Test
    void literalsNeverReachTheSqlText() {
        String evil = "x' OR '1'='1\"; DROP TABLE ContainerRegistryRepositoryEvents; --";
        String escaped = evil.replace("\\", "\\\\").replace("\"", "\\\"");
        for (String op : List.of("==", "!=", "contains", "!contains", "startswith", "has", "=~", "<")) {
            KqlTranslator.Translation t = translate("ContainerRegistryRepositoryEvents | where Repository " + op + " \""
                    + escaped + "\" | project Repository");
            assertFalse(t.sql().contains("DROP"), op + ": " + t.sql());
            assertFalse(t.sql().contains("'1'='1"), op + ": " + t.sql());
        }
        KqlTranslator.Translation in = translate("ContainerRegistryRepositoryEvents | where Repository in (\"" + escaped
                + "\", 'b') | extend x = \"" + escaped + "\" | summarize count() by x");
        assertFalse(in.sql().contains("DROP"), in.sql());
        assertTrue(in.params().contains(evil), in.params().toString());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "`ContainerRegistryRepositoryEvents; DROP TABLE x`|1|34|expected '|' or the end of the query, found ';'",
                "`ContainerRegistryRepositoryEvents | project \"a\"\"b\"`|1|48|expected '|' or the end",
                "`ContainerRegistryRepositoryEvents | project Repo\"sitory`|1|49|has no closing",
                "`ContainerRegistryRepositoryEvents | where Repository == x--y`|1|57|unknown column 'x'",
                "`ContainerRegistryRepositoryEvents | project [Repository]`|1|45|unexpected character '['"
            })
    void injectionThroughIdentifierPositionsIsASyntaxError(String query, int line, int column, String message) {
        QuerySyntaxException e = assertThrows(QuerySyntaxException.class, () -> translate(query));
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "``|1|1|the query is empty",
                "`ContainerRegistryRepositoryEvent`|1|1|did you mean ContainerRegistryRepositoryEvents?",
                "`ContainerRegistryRepositoryEvents\n| where timegenerated > ago(1d)`|2|9|did you mean TimeGenerated?",
                "`ContainerRegistryRepositoryEvents | where TimeGenerated > ago(1x)`|1|63|not a number or a timespan",
                "`ContainerRegistryRepositoryEvents | where Size > \"big\"`|1|48|cannot compare Size (long) with \"big\" (string)",
                "`ContainerRegistryRepositoryEvents | where Size`|1|43|where needs a condition",
                "`ContainerRegistryRepositoryEvents | where Repository contans 'x'`|1|54|did you mean contains?",
                "`ContainerRegistryRepositoryEvents | take -1`|1|42|take needs a whole number",
                "`ContainerRegistryRepositoryEvents | take 10 |`|1|46|expected an operator",
                "`ContainerRegistryRepositoryEvents | join X`|1|42|unknown table 'X'",
                "`ContainerRegistryRepositoryEvents | join (ContainerRegistryLoginEvents) on Identity`|1|37|join needs its kind",
                "`ContainerRegistryRepositoryEvents | join kind=innerunique (ContainerRegistryLoginEvents) on Identity`|1|47|innerunique is not supported",
                "`ContainerRegistryRepositoryEvents | join kind=inner X on Identity`|1|53|unknown table 'X'",
                "`ContainerRegistryRepositoryEvents | join kind=inner (AzureMetrics) on Identity`|1|71|unknown column 'Identity'",
                "`ContainerRegistryRepositoryEvents | join kind=inner (AzureMetrics) on $left.Size == $right.MetricName`|1|77|join keys compare values of one type",
                "`ContainerRegistryRepositoryEvents | join kind=inner (AzureMetrics) on $left.Size == Total`|1|85|a join key compares $left.Column with $right.Column",
                "`ContainerRegistryRepositoryEvents | parse Repository with A B`|1|61|two columns or * in a row",
                "`ContainerRegistryRepositoryEvents | parse Repository with Tag \"/\" B`|1|59|exists already",
                "`ContainerRegistryRepositoryEvents | parse Size with A \"/\" B`|1|43|parse reads a string",
                "`ContainerRegistryRepositoryEvents | parse Repository with A: long \"/\" B`|1|62|parse extracts strings",
                "`ContainerRegistryRepositoryEvents | mv-expand X`|1|37|unknown or unsupported operator 'mv'",
                "`ContainerRegistryRepositoryEvents | make-series count() on TimeGenerated from now() to ago(1d) step 1h`|1|37|to after from",
                "`ContainerRegistryRepositoryEvents | make-series count() on TimeGenerated from ago(1000d) to now() step 1m`|1|104|at most 10000 bins",
                "`ContainerRegistryRepositoryEvents | make-series count() on Size from ago(1d) to now() step 1h`|1|60|needs a datetime after on",
                "`let x = 1 ContainerRegistryRepositoryEvents`|1|11|expected ';' after the let statement",
                "`ContainerRegistryRepositoryEvents | render timechart | take 1`|1|54|render is the query's last operator",
                "`ContainerRegistryRepositoryEvents | render tmiechart`|1|44|unknown visualization 'tmiechart'",
                "`ContainerRegistryRepositoryEvents | extend f = format_datetime(TimeGenerated, 'yyyy-MM-ddTHH')`|1|79|cannot write 'T'",
                "`ContainerRegistryRepositoryEvents | extend f = format_datetime(Size, 'yyyy')`|1|64|formats a datetime",
                "`ContainerRegistryRepositoryEvents | summarize count(), arg_max(TimeGenerated, *)`|1|56|the only aggregation",
                "`ContainerRegistryRepositoryEvents | extend a = arg_max(Size, *)`|1|48|belongs in summarize",
                "`ContainerRegistryRepositoryEvents | summarize arg_max(Size, Nope)`|1|61|unknown column 'Nope'",
                "`ContainerRegistryRepositoryEvents | extend v = extract(\"(a\", 1, Tag)`|1|56|not a regular expression",
                "`ContainerRegistryRepositoryEvents | extend v = extract(\"(a)\", 2, Tag)`|1|63|from 0 (the whole match) to 1",
                "`ContainerRegistryRepositoryEvents | extend v = extract(\"(?i)a\", 0, Tag)`|1|56|no look-around",
                "`ContainerRegistryRepositoryEvents | extend t = tostring(TimeGenerated)`|1|57|tostring() takes a string, a whole number or a bool",
                "`(ContainerRegistryRepositoryEvents | render table) | take 1`|1|50|render is the query's last operator",
                "`ContainerRegistryRepositoryEvents | summarize percentile(Size, 101)`|1|64|a number from 0 to 100",
                "`ContainerRegistryRepositoryEvents | summarize percentile(Tag, 50)`|1|58|takes numbers or datetimes",
                "`let AzureMetrics = 1; AzureMetrics`|1|5|cannot be a table's name",
                "`let f = (x: long) { x }; ContainerRegistryRepositoryEvents`|1|9|a let of a function",
                "`let t = ContainerRegistryRepositoryEvents | wher Size > 1; t`|1|45|unknown or unsupported operator 'wher'",
                "`ContainerRegistryRepositoryEvents\n| summarize count() by\n  bin(TimeGenerated, \"1h\")`|3|22|bin() of a datetime needs",
                "`ContainerRegistryRepositoryEvents | where count() > 1`|1|43|belongs in summarize",
                "`ContainerRegistryRepositoryEvents | where Repository contains Tag`|1|63|needs a string literal",
                "`ContainerRegistryRepositoryEvents | where TimeGenerated > datetime(yesterday)`|1|68|not a date and time",
                "`ContainerRegistryRepositoryEvents | where (Size > 1`|1|52|expected ')'",
                "`ContainerRegistryRepositoryEvents | project a = 1h`|1|49|a timespan can be used",
                "`ContainerRegistryRepositoryEvents | summarize Repository`|1|47|needs an aggregation",
                "`ContainerRegistryRepositoryEvents | project Repository, Repository`|1|57|projected twice",
                "`ContainerRegistryRepositoryEvents | union AzureMetric`|1|43|did you mean AzureMetrics?",
                "`ContainerRegistryRepositoryEvents | extend b = iff(Size > 1, \"big\")`|1|48|iff() takes a condition",
                "`ContainerRegistryRepositoryEvents | extend b = case(Size, 1, 2)`|1|53|conditions are conditions",
                "`ContainerRegistryRepositoryEvents | extend b = case(Size > 1, 1, 2, 3)`|1|48|case() takes pairs",
                "`ContainerRegistryRepositoryEvents | extend b = iff(Size > 1, 1, \"x\")`|1|65|values have one type"
            })
    void syntaxErrorsNameLineAndColumn(String query, int line, int column, String message) {
        QuerySyntaxException e = assertThrows(QuerySyntaxException.class, () -> translate(query));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(line + ":" + column, e.line() + ":" + e.column(), e.getMessage());
    }

    @Test
    void everyTableReferenceCarriesTheCallersRules() {
        String[] queries = {
            "ContainerRegistryRepositoryEvents",
            "union ContainerRegistryRepositoryEvents, AzureMetrics",
            "ContainerRegistryLoginEvents | union (ContainerRegistryLoginEvents | where true) | count",
            "TrustChanges | summarize count() by GUN"
        };
        int[] ruleParams = {1, 2, 2, 1}; // a GUN pattern once: its host-prefixed forms are patterns of their own
        for (int i = 0; i < queries.length; i++) {
            KqlTranslator.Translation t = KqlTranslator.translate(queries[i], LIMITED, SqlDialect.H2, NOW);
            long bound = t.params().stream()
                    .filter(p -> p.equals("team-a/%") || p.equals("alice"))
                    .count();
            assertEquals(ruleParams[i], bound, queries[i] + " → " + t.params());
        }
    }

    /**
     * Property: no input, however broken, makes the translator fail with anything but a syntax error
     * (which the API answers 400). Random token soups and random cuts and splices of valid queries.
     */
    @Test
    void noInputFailsWithAnythingButASyntaxError() {
        String[] alphabet = {
            "ContainerRegistryRepositoryEvents",
            "ContainerRegistryLoginEvents",
            "AzureMetrics",
            "TrustChanges",
            "|",
            "where",
            "project",
            "extend",
            "summarize",
            "by",
            "top",
            "take",
            "sort",
            "order",
            "distinct",
            "count",
            "union",
            ",",
            "(",
            ")",
            "==",
            "!=",
            "<",
            ">=",
            "=",
            "=~",
            "and",
            "or",
            "not",
            "contains",
            "!contains",
            "has",
            "in",
            "!in",
            "startswith",
            "ago",
            "now",
            "datetime",
            "bin",
            "isempty",
            "count()",
            "dcount",
            "sum",
            "avg",
            "1d",
            "1h",
            "0",
            "-5",
            "3.5",
            "\"x\"",
            "'y'",
            "@\"z\"",
            "TimeGenerated",
            "Repository",
            "Size",
            "Tag",
            "asc",
            "desc",
            "nulls",
            "first",
            "*",
            "+",
            "-",
            "/",
            "\"unterminated",
            "2026-11-21",
            "99999999999999999999",
            "!",
            "@",
            "//c\n",
            "\n",
            ";",
            "'",
            "\\"
        };
        String[] valid = {
            "ContainerRegistryRepositoryEvents | where TimeGenerated > ago(1d) | summarize count() by Repository",
            "ContainerRegistryRepositoryEvents | union ContainerRegistryLoginEvents | top 100 by TimeGenerated"
                    + " | project TimeGenerated, Identity",
            "AzureMetrics | summarize sum(Total) by bin(TimeGenerated, 1h), MetricName | sort by TimeGenerated asc"
        };
        Random random = new Random(20261121);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            String query;
            if (i % 2 == 0) {
                StringBuilder soup = new StringBuilder();
                for (int n = random.nextInt(14); n >= 0; n--) {
                    soup.append(alphabet[random.nextInt(alphabet.length)]).append(random.nextBoolean() ? " " : "");
                }
                query = soup.toString();
            } else {
                String v = valid[random.nextInt(valid.length)];
                int cut = random.nextInt(v.length());
                query = v.substring(0, cut)
                        + alphabet[random.nextInt(alphabet.length)]
                        + v.substring(cut + random.nextInt(Math.min(8, v.length() - cut) + 1));
            }
            for (SqlDialect dialect : SqlDialect.values()) {
                try {
                    KqlTranslator.translate(query, i % 3 == 0 ? LIMITED : Visibility.EVERYTHING, dialect, NOW);
                } catch (QuerySyntaxException expected) {
                    assertTrue(expected.line() >= 1 && expected.column() >= 1, query);
                } catch (RuntimeException e) {
                    failures.add(query + " → " + e);
                }
            }
        }
        assertEquals(List.of(), failures);
    }
}
