package org.registryaudit.streaming.control;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.registryaudit.events.control.Cursor;
import org.registryaudit.events.control.EventQuery;
import org.registryaudit.problems.boundary.BusyException;

/**
 * Live tails: Server-Sent Events of the events as they arrive, each with its position as the
 * event id, so that a client that reconnects with {@code Last-Event-ID} goes on exactly after the
 * last event it got. Each tail polls its table in the order events arrived, inside the caller's
 * access rules (the same conditions as the read API), and shows an event once it is
 * {@code registry-audit.stream.live-settle-millis} old: a transaction that stored an earlier
 * event commits within that time, so the tail never passes an event that becomes visible later.
 * A tail ends when the caller's token expires (the client reconnects with a new one and the last
 * id), and so many run at once at most, per server and per caller (429 beyond).
 */
@ApplicationScoped
public class LiveTail {

    private static final System.Logger LOG = System.getLogger(LiveTail.class.getName());
    static final Duration POLL = Duration.ofMillis(250);
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    static final int PAGE = 500;
    private static final Jsonb JSONB = JsonbBuilder.create();

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "registry-audit.stream.live-settle-millis")
    long settleMillis;

    @Inject
    @ConfigProperty(name = "registry-audit.stream.live-tails")
    int maxTails;

    @Inject
    @ConfigProperty(name = "registry-audit.stream.live-tails-per-caller")
    int maxPerCaller;

    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, AtomicInteger> perCaller = new ConcurrentHashMap<>();
    private final Map<Tail, ScheduledFuture<?>> tails = new ConcurrentHashMap<>();

    /** What a tail reads: the next events after a position, up to a time. */
    public interface Source {
        List<? extends EventQuery.Positioned<?>> after(Cursor position, Instant upTo, int limit);
    }

    /**
     * Starts a tail into the sink; throws BusyException (before anything is sent) when too many
     * run. {@code from} null: from now on.
     */
    public void open(
            String caller, String eventName, Source source, Cursor from, Instant until, SseEventSink sink, Sse sse) {
        AtomicInteger mine = perCaller.computeIfAbsent(caller, k -> new AtomicInteger());
        if (open.incrementAndGet() > maxTails) {
            open.decrementAndGet();
            throw new BusyException(maxTails + " live tails are open on this server; try again later", 10);
        }
        if (mine.incrementAndGet() > maxPerCaller) {
            mine.decrementAndGet();
            open.decrementAndGet();
            throw new BusyException(caller + " has " + maxPerCaller + " live tails open already; close one first", 10);
        }
        Cursor start = from != null ? from : new Cursor(clock.instant().minusMillis(settleMillis), Long.MAX_VALUE);
        Tail tail = new Tail(caller, eventName, source, start, until, sink, sse);
        sink.send(sse.newEventBuilder()
                .comment("live tail of " + eventName + " until " + until)
                .reconnectDelay(2000)
                .build());
        tails.put(tail, scheduler.scheduleWithFixedDelay(tail::poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS));
    }

    @PreDestroy
    void closeAll() {
        List.copyOf(tails.keySet()).forEach(Tail::close);
    }

    /** How many tails are open on this server. */
    public int open() {
        return open.get();
    }

    private final class Tail {
        final String caller;
        final String eventName;
        final Source source;
        final Instant until;
        final SseEventSink sink;
        final Sse sse;
        Cursor position;
        Instant lastSent;
        boolean closed;

        Tail(String caller, String eventName, Source source, Cursor start, Instant until, SseEventSink sink, Sse sse) {
            this.caller = caller;
            this.eventName = eventName;
            this.source = source;
            this.position = start;
            this.until = until;
            this.sink = sink;
            this.sse = sse;
            this.lastSent = clock.instant();
        }

        /** One poll; the scheduler runs a tail's polls one after another, never at once. */
        void poll() {
            try {
                Instant now = clock.instant();
                if (sink.isClosed() || !now.isBefore(until)) {
                    close();
                    return;
                }
                List<? extends EventQuery.Positioned<?>> events;
                do {
                    events = source.after(position, now.minusMillis(settleMillis), PAGE);
                    for (EventQuery.Positioned<?> event : events) {
                        send(event.position().encode(), JSONB.toJson(event.record()));
                        position = event.position();
                    }
                } while (events.size() == PAGE && !sink.isClosed());
                if (!events.isEmpty()) {
                    lastSent = now;
                } else if (Duration.between(lastSent, now).compareTo(KEEP_ALIVE) > 0) {
                    await(sink.send(sse.newEventBuilder().comment("keep-alive").build()));
                    lastSent = now;
                }
            } catch (RuntimeException e) {
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "Live tail of {0} for {1} ends: {2}",
                        eventName,
                        caller,
                        e.getMessage());
                close();
            }
        }

        private void send(String id, String json) {
            await(sink.send(sse.newEventBuilder()
                    .id(id)
                    .name(eventName)
                    .mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(String.class, json)
                    .build()));
        }

        /** A client that does not take what is sent within a while is dropped: memory holds one page per tail. */
        private void await(java.util.concurrent.CompletionStage<?> sent) {
            try {
                sent.toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("the client does not take events: " + e);
            }
        }

        synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            ScheduledFuture<?> future = tails.remove(this);
            if (future != null) {
                future.cancel(false);
            }
            try {
                sink.close();
            } catch (RuntimeException e) {
                // closed by the client already
            }
            open.decrementAndGet();
            perCaller.get(caller).decrementAndGet();
        }
    }
}
