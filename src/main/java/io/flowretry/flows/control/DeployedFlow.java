package io.flowretry.flows.control;

import io.flowretry.kernel.ErrorClass;
import io.flowretry.connectors.control.ConnectorException;
import io.flowretry.connectors.control.DestinationConnector;
import io.flowretry.connectors.control.DestinationConnector.Write;
import io.flowretry.connectors.control.IdempotencyKey;
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
 * {@code TRANSIENT}. The chunk methods ({@link #processAll}, {@link #resyncAll}) read and write a chunk
 * at once: one source read and one destination batch per chunk where the connectors can (JDBC),
 * concurrent requests within the app's limits (HTTP); when the chunk's read fails, its records are
 * re-read one by one, so each gets its own outcome. Used by one thread (a batch step); close it to
 * release the connectors.
 */
public final class DeployedFlow implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DeployedFlow.class.getName());

    private final long deploymentId;
    private final String nodeName;
    private final int flowVersion;
    private final Mapper mapper;
    private final SourceConnector source;
    private final DestinationConnector destination;

    public DeployedFlow(long deploymentId, String nodeName, int flowVersion, Mapper mapper, SourceConnector source,
                        DestinationConnector destination) {
        this.deploymentId = deploymentId;
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

    /**
     * Maps and writes a chunk of records already read: each record mapped, the mapped ones written in one
     * {@code upsertAll}; outcomes in order. {@code attempts} (one per record) tell this attempt from the
     * record's others: with the deployment and the source id they make the write's {@link IdempotencyKey}.
     */
    public List<RecordOutcome> processAll(List<SourceRecord> records, List<String> attempts) {
        return processAll(records, attempts, NO_EDIT);
    }

    /** What the mapping gets of a record read: its fields, or (a resync) an operator's edit of them. */
    @FunctionalInterface
    public interface InputEdit {
        Map<String, Object> input(String sourceId, Map<String, Object> read);
    }

    private static final InputEdit NO_EDIT = (sourceId, read) -> read;

    /** Each outcome's input stays the record as read; the mapping gets {@code edit}'s input. */
    private List<RecordOutcome> processAll(List<SourceRecord> records, List<String> attempts, InputEdit edit) {
        if (attempts.size() != records.size()) {
            throw new IllegalArgumentException(records.size() + " records but " + attempts.size() + " attempts");
        }
        var outcomes = new RecordOutcome[records.size()];
        List<Write> writes = new ArrayList<>(records.size());
        List<Integer> written = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            var record = records.get(i);
            try {
                writes.add(new Write(record.id(), mapper.map(edit.input(record.id(), record.fields())),
                        IdempotencyKey.of(deploymentId, record.id(), attempts.get(i))));
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
                    destination.upsert(write);
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

    /**
     * Re-reads a chunk's records by id (gone → {@code SOURCE_MISSING}, each read's failure its own),
     * then {@link #processAll} of those found; outcomes in the order of the ids.
     */
    public List<RecordOutcome> resyncAll(List<String> sourceIds, List<String> attempts) {
        return resyncAll(sourceIds, attempts, NO_EDIT);
    }

    /** {@link #resyncAll(List, List)} with each record's input edited before the mapping (an operator's override). */
    public List<RecordOutcome> resyncAll(List<String> sourceIds, List<String> attempts, InputEdit edit) {
        if (attempts.size() != sourceIds.size()) {
            throw new IllegalArgumentException(sourceIds.size() + " ids but " + attempts.size() + " attempts");
        }
        List<SourceConnector.Read> reads;
        try {
            reads = source.readEach(sourceIds);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Reading a chunk of " + nodeName + " failed; reading its records one by one", e);
            reads = sourceIds.stream().map(id -> SourceConnector.Read.of(id, source)).toList();
        }
        var outcomes = new RecordOutcome[sourceIds.size()];
        List<SourceRecord> records = new ArrayList<>(sourceIds.size());
        List<String> recordAttempts = new ArrayList<>(sourceIds.size());
        List<Integer> at = new ArrayList<>(sourceIds.size());
        for (int i = 0; i < sourceIds.size(); i++) {
            var id = sourceIds.get(i);
            var read = reads.get(i);
            if (read.failure() instanceof ConnectorException e) {
                outcomes[i] = RecordOutcome.failed(id, e.errorClass(), e.getMessage(), null, null);
            } else if (read.failure() != null) {
                LOG.log(Level.WARNING, "Unexpected failure reading record " + id + " of " + nodeName, read.failure());
                outcomes[i] = RecordOutcome.failed(id, ErrorClass.TRANSIENT, "unexpected: " + read.failure(), null, null);
            } else if (read.fields() == null) {
                outcomes[i] = missing(id);
            } else {
                records.add(new SourceRecord(id, read.fields()));
                recordAttempts.add(attempts.get(i));
                at.add(i);
            }
        }
        var processed = processAll(records, recordAttempts, edit);
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
