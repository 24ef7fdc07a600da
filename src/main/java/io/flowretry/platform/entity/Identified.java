package io.flowretry.platform.entity;

import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.SequenceGenerator;

/**
 * The id every entity shares: taken from the sequence {@code app_seq} (allocation 50, matching its
 * increment in V1__schema.sql). SEQUENCE, not IDENTITY: IDENTITY stops JDBC batch writing and
 * breaks on the server's H2.
 */
@MappedSuperclass
public abstract class Identified {

    @Id
    @SequenceGenerator(name = "app_seq", sequenceName = "app_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "app_seq")
    private Long id;

    public Long getId() {
        return id;
    }
}
