package io.flowretry.flows.control;

import io.flowretry.kernel.ErrorClass;
import io.flowretry.connectors.control.ConnectorException;
import io.flowretry.connectors.control.DestinationConnector;
import io.flowretry.connectors.control.DestinationConnector.Write;
import io.flowretry.connectors.control.RecordCursor;
import io.flowretry.connectors.control.SourceConnector;
import io.flowretry.connectors.control.SourceRecord;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One deployment's flow, ready to run: the version deployed when it was opened, its mapper and its
 * source and destination connectors. Every record ends in a {@link RecordOutcome}, never an
 * exception: a failed mapping rule is {@code DATA} naming the field, a connector failure keeps its
 * class, an id gone from the source is {@code SOURCE_MISSING}, anything unexpected is
 * {@code TRANSIENT}. The chunk methods ({@link #processAll}, {@link #resyncAll}) give the same
 * outcomes as their one-record forms, with one source read and one destination batch per chunk
 * where the connectors can (JDBC); when the chunk's read fails, its records are re-read one by
 * one, so each gets its own outcome. Used by one thread (a batch step); close it to release the connectors.
 */
public final class DeployedFlow implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DeployedFlow.class.getName());

    private final String nodeName;
    private final int flowVersion;
    private final Mapper mapper;
    private final SourceConnector source;
    private final DestinationConnector destination;

    public DeployedFlow(String nodeName, int flowVersion, Mapper mapper, SourceConnector source, DestinationConnector destination) {
        this.nodeName = nodeName;
        this.flowVersion = flowVersion;
        this.mapper = mapper;
        this.source = source;
        this.destination = destination;
    }

    /** The source connection's name: the bucket's "Node Name". */
    public String nodeName() {
        return nodeName;
    }

    public int flowVersion() {
        return flowVersion;
    }

    /** The source's records in id order after {@code afterId} (null = all), streamed. */
    public RecordCursor readAll(String afterId) throws ConnectorException {
        return source.readAll(afterId);
    }

    /** Maps and writes a record already read (the main execution). */
    public RecordOutcome process(SourceRecord record) {
        return processAll(List.of(record)).getFirst();
    }

    /** {@link #process} for a chunk: each record mapped, the mapped ones written in one {@code upsertAll}; outcomes in order. */
    public List<RecordOutcome> processAll(List<SourceRecord> records) {
        var outcomes = new RecordOutcome[records.size()];
        List<Write> writes = new ArrayList<>(records.size());
        List<Integer> written = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            var record = records.get(i);
            try {
                writes.add(new Write(record.id(), mapper.map(record.fields())));
                written.add(i);
            } catch (MappingException e) {
                outcomes[i] = RecordOutcome.failed(record.id(), ErrorClass.DATA, e.getMessage(), record.fields(), null);
            } catch (RuntimeException e) {
                outcomes[i] = unexpected(record, null, e);
            }
        }
        var failures = upsertAll(writes);
        for (int w = 0; w < writes.size(); w++) {
            var record = records.get(written.get(w));
            var output = writes.get(w).record();
            var failure = failures.get(w);
            outcomes[written.get(w)] = failure == null ? RecordOutcome.succeeded(record.id(), record.fields(), output)
                    : failure instanceof ConnectorException e ? RecordOutcome.failed(record.id(), e.errorClass(), e.getMessage(), record.fields(), output)
                    : unexpected(record, output, (RuntimeException) failure);
        }
        return Arrays.asList(outcomes);
    }

    /** Per write: null (written), its {@link ConnectorException}, or an unexpected {@link RuntimeException}. */
    private List<Exception> upsertAll(List<Write> writes) {
        if (writes.isEmpty()) {
            return List.of();
        }
        try {
            return new ArrayList<>(destination.upsertAll(writes));
        } catch (RuntimeException batchBroke) {
            List<Exception> failures = new ArrayList<>(writes.size());
            for (var write : writes) {
                try {
                    destination.upsert(write.sourceId(), write.record());
                    failures.add(null);
                } catch (ConnectorException | RuntimeException e) {
                    failures.add(e);
                }
            }
            return failures;
        }
    }

    private RecordOutcome unexpected(SourceRecord record, Map<String, Object> output, RuntimeException e) {
        LOG.log(Level.WARNING, "Unexpected failure writing record " + record.id() + " of " + nodeName, e);
        return RecordOutcome.failed(record.id(), ErrorClass.TRANSIENT, "unexpected: " + e, record.fields(), output);
    }

    /** Re-reads the record by id (gone → {@code SOURCE_MISSING}), then maps and writes it (retries). */
    public RecordOutcome resync(String sourceId) {
        Map<String, Object> input;
        try {
            var found = source.read(sourceId);
            if (found.isEmpty()) {
                return missing(sourceId);
            }
            input = found.get();
        } catch (ConnectorException e) {
            return RecordOutcome.failed(sourceId, e.errorClass(), e.getMessage(), null, null);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Unexpected failure reading record " + sourceId + " of " + nodeName, e);
            return RecordOutcome.failed(sourceId, ErrorClass.TRANSIENT, "unexpected: " + e, null, null);
        }
        return process(new SourceRecord(sourceId, input));
    }

    /**
     * {@link #resync} for a chunk: the records re-read with one {@code readMany} (when that fails,
     * one {@link #resync} per id), then {@link #processAll}; outcomes in the order of the ids.
     */
    public List<RecordOutcome> resyncAll(List<String> sourceIds) {
        Map<String, Map<String, Object>> found;
        try {
            found = source.readMany(sourceIds);
        } catch (ConnectorException | RuntimeException e) {
            LOG.log(Level.FINE, "Reading a chunk of " + nodeName + " failed; reading its records one by one", e);
            return sourceIds.stream().map(this::resync).toList();
        }
        var outcomes = new RecordOutcome[sourceIds.size()];
        List<SourceRecord> records = new ArrayList<>(found.size());
        List<Integer> at = new ArrayList<>(found.size());
        for (int i = 0; i < sourceIds.size(); i++) {
            var input = found.get(sourceIds.get(i));
            if (input == null) {
                outcomes[i] = missing(sourceIds.get(i));
            } else {
                records.add(new SourceRecord(sourceIds.get(i), input));
                at.add(i);
            }
        }
        var processed = processAll(records);
        for (int r = 0; r < records.size(); r++) {
            outcomes[at.get(r)] = processed.get(r);
        }
        return Arrays.asList(outcomes);
    }

    private RecordOutcome missing(String sourceId) {
        return RecordOutcome.failed(sourceId, ErrorClass.SOURCE_MISSING,
                nodeName + ": record " + sourceId + " is no longer in the source", null, null);
    }

    @Override
    public void close() {
        try {
            source.close();
        } finally {
            destination.close();
        }
    }
}
