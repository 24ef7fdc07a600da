package io.flowretry.web.flows;

import io.flowretry.environments.boundary.Environments;
import io.flowretry.environments.entity.Environment;
import io.flowretry.flows.boundary.ProcessFlows;
import io.flowretry.flows.entity.ProcessFlow;
import io.flowretry.kernel.ConflictException;
import io.flowretry.kernel.NotFoundException;
import io.flowretry.web.Messages;
import io.flowretry.web.UserBacking;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.List;

/** Manage › Flows: every process flow with its current version; admins edit, deploy and delete them from here. */
@Named("flowList")
@ViewScoped
public class ListBacking implements Serializable {

    @Inject
    ProcessFlows flows;

    @Inject
    Environments environments;

    @Inject
    UserBacking user;

    private Long environmentId;

    /** Delete (admins, after the confirm): refused with the deployment that uses the flow. */
    public void delete(long id) {
        user.requireAdmin();
        try {
            var name = flows.get(id).getName();
            flows.delete(id);
            Messages.info("Deleted the process flow " + name);
        } catch (ConflictException | NotFoundException e) {
            Messages.error(e.getMessage());
        }
    }

    public List<ProcessFlow> getFlows() {
        return flows.list();
    }

    public List<Environment> getEnvironments() {
        return environments.list();
    }

    /** Opens the deploy wizard for the flow and the chosen environment. */
    public String deploy(long flowId) {
        if (environmentId == null) {
            Messages.errorAt("flows:environment", "Choose the environment to deploy to");
            return null;
        }
        return "/deployments/deploy.xhtml?faces-redirect=true&environment=" + environmentId + "&flow=" + flowId;
    }

    public Long getEnvironmentId() {
        return environmentId;
    }

    public void setEnvironmentId(Long environmentId) {
        this.environmentId = environmentId;
    }
}
