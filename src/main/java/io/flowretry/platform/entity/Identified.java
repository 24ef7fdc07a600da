package io.flowretry.platform.entity;

import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.SequenceGenerator;

/**
 * The id every entity shares: taken from the sequence {@code app_seq}, whose increment is
 * {@link #ALLOCATION} (V20): one {@code nextval} V reserves [V − ALLOCATION + 1, V], here and in
 * {@link io.flowretry.platform.control.RowIds} for rows written with plain JDBC. SEQUENCE, not
 * IDENTITY: IDENTITY stops JDBC batch writing and breaks on the server's H2.
 */
@MappedSuperclass
public abstract class Identified {

    /** The ids one sequence call reserves; the sequence's increment (migration V20). */
    public static final int ALLOCATION = 1000;

    @Id
    @SequenceGenerator(name = "app_seq", sequenceName = "app_seq", allocationSize = ALLOCATION)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "app_seq")
    private Long id;

    protected Identified() {
    }

    /** For rows whose id was taken by {@link io.flowretry.platform.control.RowIds}. */
    protected Identified(long id) {
        this.id = id;
    }

    public Long getId() {
        return id;
    }
}
