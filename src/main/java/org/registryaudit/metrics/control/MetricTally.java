package org.registryaudit.metrics.control;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.registryaudit.events.entity.LoginEventRecord;
import org.registryaudit.events.entity.RepositoryEventRecord;
import org.registryaudit.metrics.entity.MetricKey;
import org.registryaudit.metrics.entity.MetricName;

/**
 * Which metrics an event counts towards, summed per key. A pull is an image pull when it fetched a
 * manifest (it has a tag or a manifest or index media type; a canonical producer without a media
 * type reports image pulls): the registry also notifies every layer fetched, and counting those
 * would make one {@code docker pull} a dozen pulls. A push is a manifest push ({@code Push});
 * {@code PushBlob} is not counted. A result is successful when ResultType is a 2xx status or
 * absent.
 */
public final class MetricTally {

    private MetricTally() {}

    public static Map<MetricKey, Long> of(
            List<RepositoryEventRecord> repositoryEvents, List<LoginEventRecord> loginEvents) {
        Map<MetricKey, Long> counts = new HashMap<>();
        for (RepositoryEventRecord e : repositoryEvents) {
            boolean pull = "Pull".equals(e.operationName()) && isImagePull(e.tag(), e.mediaType());
            boolean push = "Push".equals(e.operationName());
            if (pull || push) {
                Instant minute = e.timeGenerated().truncatedTo(ChronoUnit.MINUTES);
                boolean ok = successful(e.resultType());
                add(
                        counts,
                        e.loginServer(),
                        e.repository(),
                        pull ? MetricName.TotalPullCount : MetricName.TotalPushCount,
                        minute);
                if (ok) {
                    add(
                            counts,
                            e.loginServer(),
                            e.repository(),
                            pull ? MetricName.SuccessfulPullCount : MetricName.SuccessfulPushCount,
                            minute);
                }
            }
        }
        for (LoginEventRecord e : loginEvents) {
            add(
                    counts,
                    e.loginServer(),
                    "",
                    successful(e.resultType()) ? MetricName.SuccessfulLoginCount : MetricName.FailedLoginCount,
                    e.timeGenerated().truncatedTo(ChronoUnit.MINUTES));
        }
        return counts;
    }

    static boolean isImagePull(String tag, String mediaType) {
        return tag != null || mediaType == null || mediaType.contains("manifest") || mediaType.contains("image.index");
    }

    static boolean successful(String resultType) {
        return resultType == null || resultType.isEmpty() || resultType.startsWith("2");
    }

    private static void add(
            Map<MetricKey, Long> counts, String loginServer, String repository, MetricName metric, Instant minute) {
        counts.merge(new MetricKey(loginServer, repository, metric, minute), 1L, Long::sum);
    }
}
