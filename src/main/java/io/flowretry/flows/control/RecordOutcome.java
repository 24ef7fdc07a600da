package io.flowretry.flows.control;

import io.flowretry.kernel.ErrorClass;
import io.flowretry.platform.control.ErrorTexts;

import java.util.Map;

/**
 * What happened to one record in a run: success, or the failure's class and text. {@code input} is
 * the source record as read ({@code null} when it could not be read), {@code output} the mapped
 * record ({@code null} when mapping failed). The error is cut to {@value ErrorTexts#MAX} characters:
 * it is stored with the bucket item, the attempt and the snapshot item, and every role reads it.
 */
public record RecordOutcome(String sourceId, boolean success, ErrorClass errorClass, String error,
                            Map<String, Object> input, Map<String, Object> output) {

    public RecordOutcome {
        error = ErrorTexts.cut(error);
    }

    public static RecordOutcome succeeded(String sourceId, Map<String, Object> input, Map<String, Object> output) {
        return new RecordOutcome(sourceId, true, null, null, input, output);
    }

    public static RecordOutcome failed(String sourceId, ErrorClass errorClass, String error,
                                       Map<String, Object> input, Map<String, Object> output) {
        return new RecordOutcome(sourceId, false, errorClass, error, input, output);
    }
}
