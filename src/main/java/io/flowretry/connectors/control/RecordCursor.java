package io.flowretry.connectors.control;

import java.util.Iterator;

/**
 * The records of a source in id order, streamed: only a window of them is in memory at a time.
 * {@link #hasNext()} and {@link #next()} throw {@link ReadFailedException} when the source fails
 * mid-stream. Close it to release the source's connection.
 */
public interface RecordCursor extends Iterator<SourceRecord>, AutoCloseable {

    @Override
    void close();
}
