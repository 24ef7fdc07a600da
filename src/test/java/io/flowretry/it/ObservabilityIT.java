package io.flowretry.it;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The served observability surface: /openapi (and, below, /metrics), on the built WAR. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ObservabilityIT {

    /** The paths of shared/api.md that exist in the code today, as METHOD + template with the names left out. */
    static final Set<String> CONTRACT = Set.of(
            "POST /api/environments", "GET /api/environments", "GET /api/environments/{}", "PATCH /api/environments/{}",
            "GET /api/environments/{}/process-flows", "POST /api/connections", "GET /api/connections",
            "GET /api/connections/{}", "POST /api/process-flows", "PUT /api/process-flows/{}", "GET /api/process-flows",
            "GET /api/process-flows/{}", "POST /api/environments/{}/deployments", "GET /api/deployments/{}",
            "DELETE /api/deployments/{}", "POST /api/deployments/{}/executions", "GET /api/executions/{}",
            "GET /api/deployments/{}/bucket", "GET /api/bucket-items/{}", "POST /api/deployments/{}/resync",
            "POST /api/deployments/{}/retry-runs", "GET /api/deployments/{}/retry-runs", "GET /api/retry-runs/{}",
            "POST /api/retry-runs/{}/stop", "POST /api/retry-runs/{}/restart");

    @Deployment(testable = false)
    static WebArchive war() {
        return TheWar.built();
    }

    @ArquillianResource
    URL url;

    @Test
    void openapi_is_the_products_own_valid_document_open_without_credentials() {
        var api = Api.at(url).anonymous();
        var yaml = api.get("/openapi?format=yaml");
        assertEquals(200, yaml.status(), yaml.toString());
        assertTrue(yaml.contentType().startsWith("application/yaml"), yaml.contentType());
        var json = api.get("/openapi");
        assertEquals(200, json.status(), json.toString());
        assertTrue(json.contentType().startsWith("application/json"), json.contentType());

        var options = new ParseOptions();
        options.setResolve(true);
        var parsed = new OpenAPIV3Parser().readContents(yaml.body(), null, options);
        assertEquals(List.of(), parsed.getMessages());
        var openApi = parsed.getOpenAPI();
        assertEquals("Process Flow Retry", openApi.getInfo().getTitle());
        assertEquals("basic", openApi.getComponents().getSecuritySchemes().get("basicAuth").getScheme());
        assertEquals(openApi, new OpenAPIV3Parser().readContents(json.body(), null, options).getOpenAPI());

        var served = new TreeSet<String>();
        var ids = new ArrayList<String>();
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
            served.add(method + " " + path.replaceAll("\\{[^}]*}", "{}"));
            ids.add(op.getOperationId());
            op.getResponses().forEach((code, response) -> {
                if (code.compareTo("400") >= 0) {
                    assertEquals("#/components/schemas/Problem",
                            response.getContent().get("application/problem+json").getSchema().get$ref(), path + " " + code);
                }
            });
        }));
        var missing = new TreeSet<>(CONTRACT);
        missing.removeAll(served);
        assertEquals(new TreeSet<String>(), missing);
        assertEquals(ids.size(), new HashSet<>(ids).size(), "duplicate operationIds: " + ids);
        assertTrue(ids.containsAll(List.of("listEnvironments", "resyncBucket")), ids.toString());
    }
}
