package io.flowretry.flows.entity;

import io.flowretry.platform.entity.Identified;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * One immutable version of a flow's definition, stored as the JSON of
 * {@code io.flowretry.flows.control.FlowDefinition}. Unique per (flow, version number).
 */
@Entity
@Table(name = "flow_versions")
@NamedQuery(name = FlowVersion.BY_FLOW_AND_NO,
        query = "select v from FlowVersion v where v.flowId = :flowId and v.versionNo = :versionNo")
@NamedQuery(name = FlowVersion.BY_FLOW, query = "select v from FlowVersion v where v.flowId = :flowId order by v.versionNo")
public class FlowVersion extends Identified {

    public static final String BY_FLOW_AND_NO = "FlowVersion.byFlowAndNo";
    public static final String BY_FLOW = "FlowVersion.byFlow";

    @Column(name = "flow_id")
    private long flowId;

    @Column(name = "version_no")
    private int versionNo;

    private String definition;

    @Column(name = "created_at")
    private Instant createdAt;

    protected FlowVersion() {
    }

    public FlowVersion(long flowId, int versionNo, String definitionJson, Instant createdAt) {
        this.flowId = flowId;
        this.versionNo = versionNo;
        this.definition = definitionJson;
        this.createdAt = createdAt;
    }


    public long getFlowId() {
        return flowId;
    }

    public int getVersionNo() {
        return versionNo;
    }

    /** The definition as JSON; parse it with {@code FlowDefinition.fromJson}. */
    public String getDefinition() {
        return definition;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
