package io.flowretry.web.flows;

import io.flowretry.flows.boundary.ProcessFlows;
import io.flowretry.kernel.ConflictException;
import io.flowretry.kernel.InvalidInputException;
import io.flowretry.web.Formats;
import io.flowretry.web.Messages;
import io.flowretry.web.UserBacking;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.Map;

/**
 * Creates a process flow ({@code flows/edit.xhtml}) or stores a new version of one
 * ({@code flows/edit.xhtml?id=}). The definition (source, mapping, destination) is edited as JSON,
 * as the REST API takes it; the flows facade validates it and its field errors are shown beside
 * the editor.
 */
@Named("flowEdit")
@ViewScoped
public class EditBacking implements Serializable {

    static final String EXAMPLE = """
            {
              "source": {"connection": "CRM", "table": "contacts", "idColumn": "id"},
              "mapping": [
                {"target": "email", "source": "email", "required": true, "pattern": "^[^@]+@[^@]+$"},
                {"target": "name", "source": "full_name", "required": true}
              ],
              "destination": {"connection": "ERP", "table": "customers", "keyColumn": "source_id"}
            }""";

    @Inject
    ProcessFlows flows;

    @Inject
    UserBacking user;

    @Inject
    Formats formats;

    private Long id;
    private String name;
    private String description;
    private String definition = EXAMPLE;
    private int version;

    public String load() {
        if (id == null) {
            return null;
        }
        var flow = flows.find(id).orElse(null);
        if (flow == null) {
            Messages.error("No process flow " + id);
            Messages.keepForRedirect();
            return "/flows/list.xhtml?faces-redirect=true";
        }
        name = flow.getName();
        description = flow.getDescription();
        version = flow.getCurrentVersion();
        definition = formats.json(flows.currentDefinitionJson(id));
        return null;
    }

    public String save() {
        user.requireAdmin();
        try {
            var flow = id == null ? flows.createFromJson(name, description, definition)
                    : flows.updateFromJson(id, name, description, definition);
            Messages.info("Saved " + flow.getName() + " version " + flow.getCurrentVersion());
            Messages.keepForRedirect();
            return "/flows/list.xhtml?faces-redirect=true";
        } catch (InvalidInputException e) {
            Messages.fieldErrors(e, Map.of("name", "flow:name", "description", "flow:description", "definition", "flow:definition"),
                    "flow:definition");
        } catch (ConflictException e) {
            Messages.errorAt("flow:name", e.getMessage());
        }
        return null;
    }

    public Long getId() {
        return id;
    }

    public void setId(Long id) {
        this.id = id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public String getDefinition() {
        return definition;
    }

    public void setDefinition(String definition) {
        this.definition = definition;
    }

    public int getVersion() {
        return version;
    }
}
