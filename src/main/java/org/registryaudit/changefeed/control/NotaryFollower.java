package org.registryaudit.changefeed.control;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.registryaudit.changefeed.entity.TrustChangeRecord;
import org.registryaudit.platform.entity.Columns;

/**
 * Follows the changefeeds of the configured Notary servers: reads from each one's saved cursor,
 * page after page until it has caught up, and stores each page with the cursor move in one
 * transaction. A restart resumes at the saved cursor; a page read twice stores nothing twice.
 *
 * <p>notary-server's own IDs are taken before its transactions commit, so a change can appear
 * behind one already read. The follower therefore takes only changes older than the settle time
 * ({@code registry-audit.notary.settle-seconds}) and leaves the rest for the next poll.
 */
@ApplicationScoped
public class NotaryFollower {

    private static final System.Logger LOG = System.getLogger(NotaryFollower.class.getName());
    /** Pages per server and poll: a long backlog is worked off over several polls. */
    private static final int MAX_PAGES = 200;

    @Inject
    Clock clock;

    @Inject
    Config config;

    @Inject
    @ConfigProperty(name = "registry-audit.notary.followers")
    Optional<String> followerNames;

    @Inject
    @ConfigProperty(name = "registry-audit.notary.page-records")
    int pageRecords;

    @Inject
    @ConfigProperty(name = "registry-audit.notary.settle-seconds")
    long settleSeconds;

    @Inject
    TrustChangeStore store;

    private final Map<String, NotaryClient> clients = new ConcurrentHashMap<>();

    public List<NotaryServer> servers() {
        List<NotaryServer> servers = new ArrayList<>();
        for (String name : followerNames.orElse("").split(",")) {
            if (!name.isBlank()) {
                servers.add(NotaryServer.configured(config, name.trim()));
            }
        }
        return servers;
    }

    /** One poll of every followed server; a failing server does not hold up the others. */
    public void pollAll() {
        for (NotaryServer server : servers()) {
            try {
                poll(server);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                LOG.log(
                        System.Logger.Level.WARNING,
                        "Following Notary server {0} failed: {1}",
                        server,
                        Columns.oneLine(reason));
                store.followFailed(server.name(), server.url(), reason);
            }
        }
    }

    private void poll(NotaryServer server) throws Exception {
        NotaryClient client =
                clients.computeIfAbsent(server.name() + " " + server.url(), k -> new NotaryClient(server));
        String cursor = store.cursor(server.name());
        for (int i = 0; i < MAX_PAGES; i++) {
            NotaryClient.Page page = client.read(cursor, pageRecords);
            int settled = settled(page.changes(), clock.instant().minusSeconds(settleSeconds));
            boolean caughtUp = settled < pageRecords;
            List<TrustChangeRecord> changes = page.changes().subList(0, settled);
            String next = settled == 0 ? cursor : page.ids().get(settled - 1);
            if (!store.storeFollowed(server.name(), server.url(), cursor, changes, next, caughtUp)) {
                return; // another server moved this cursor meanwhile; it follows this one now
            }
            if (caughtUp) {
                return;
            }
            cursor = next;
        }
    }

    /** How many changes at the head of the page are older than the settle time. */
    static int settled(List<TrustChangeRecord> changes, Instant before) {
        int n = 0;
        while (n < changes.size() && !changes.get(n).createdAt().isAfter(before)) {
            n++;
        }
        return n;
    }
}
