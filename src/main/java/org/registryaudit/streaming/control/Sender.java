package org.registryaudit.streaming.control;

import java.util.List;

import org.registryaudit.streaming.entity.StreamRecord;

/**
 * Sends records to one destination over its transport. One per destination and delivering
 * thread; it may keep a connection open between calls. {@link #send} returns once the transport
 * has taken every record (see each transport for what that means) and throws otherwise.
 */
interface Sender extends AutoCloseable {

    void send(List<StreamRecord> records) throws Exception;

    @Override
    void close();
}
