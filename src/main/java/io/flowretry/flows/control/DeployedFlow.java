package io.flowretry.flows.control;

import io.flowretry.bucket.entity.ErrorClass;
import io.flowretry.connectors.control.ConnectorException;
import io.flowretry.connectors.control.DestinationConnector;
import io.flowretry.connectors.control.RecordCursor;
import io.flowretry.connectors.control.SourceConnector;
import io.flowretry.connectors.control.SourceRecord;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One deployment's flow, ready to run: the version deployed when it was opened, its mapper and its
 * source and destination connectors. Every record ends in a {@link RecordOutcome}, never an
 * exception: a failed mapping rule is {@code DATA} naming the field, a connector failure keeps its
 * class, an id gone from the source is {@code SOURCE_MISSING}, anything unexpected is
 * {@code TRANSIENT}. Used by one thread (a batch step); close it to release the connectors.
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
        Map<String, Object> output = null;
        try {
            output = mapper.map(record.fields());
            destination.upsert(record.id(), output);
            return RecordOutcome.succeeded(record.id(), record.fields(), output);
        } catch (MappingException e) {
            return RecordOutcome.failed(record.id(), ErrorClass.DATA, e.getMessage(), record.fields(), null);
        } catch (ConnectorException e) {
            return RecordOutcome.failed(record.id(), e.errorClass(), e.getMessage(), record.fields(), output);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Unexpected failure writing record " + record.id() + " of " + nodeName, e);
            return RecordOutcome.failed(record.id(), ErrorClass.TRANSIENT, "unexpected: " + e, record.fields(), output);
        }
    }

    /** Re-reads the record by id (gone → {@code SOURCE_MISSING}), then maps and writes it (retries). */
    public RecordOutcome resync(String sourceId) {
        Map<String, Object> input;
        try {
            var found = source.read(sourceId);
            if (found.isEmpty()) {
                return RecordOutcome.failed(sourceId, ErrorClass.SOURCE_MISSING,
                        nodeName + ": record " + sourceId + " is no longer in the source", null, null);
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

    @Override
    public void close() {
        try {
            source.close();
        } finally {
            destination.close();
        }
    }
}
