package io.flowretry.connectors.control;

/** A {@link RecordCursor} could not fetch its next record; the cause says why and how it is classified. */
public class ReadFailedException extends RuntimeException {

    public ReadFailedException(ConnectorException cause) {
        super(cause.getMessage(), cause);
    }

    public ConnectorException failure() {
        return (ConnectorException) getCause();
    }
}
