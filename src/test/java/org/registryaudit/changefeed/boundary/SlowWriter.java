package org.registryaudit.changefeed.boundary;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import org.registryaudit.changefeed.control.TrustChangeStore;
import org.registryaudit.changefeed.entity.TrustChangeRecord;

/** A writer that holds its transaction open for a random while after storing: commits race. */
@Stateless
public class SlowWriter {

    @Inject
    TrustChangeStore store;

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void write(TrustChangeRecord change, int maxDelayMillis) throws InterruptedException {
        store.store(List.of(change));
        Thread.sleep(ThreadLocalRandom.current().nextInt(maxDelayMillis + 1));
    }
}
