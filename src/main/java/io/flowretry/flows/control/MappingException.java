package io.flowretry.flows.control;

/**
 * A source record could not be mapped. The message is meant for operators (it ends up as the
 * bucket record's last error), e.g. {@code email: "x-at-y" does not match pattern ^[^@]+@[^@]+$}.
 */
public class MappingException extends RuntimeException {

    /** The rule kind that failed. */
    public static final String REQUIRED = "required";
    public static final String PATTERN = "pattern";
    public static final String SOURCE = "source";

    private final String field;
    private final String rule;

    public MappingException(String field, String rule, String message) {
        super(message);
        this.field = field;
        this.rule = rule;
    }

    /** The target field whose rule failed. */
    public String field() {
        return field;
    }

    /** One of {@value #REQUIRED}, {@value #PATTERN}, {@value #SOURCE}. */
    public String rule() {
        return rule;
    }
}
