package io.flowretry.openapi.boundary;

import io.flowretry.environments.boundary.EnvironmentsResource;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the document from drifting: every JAX-RS resource method compiled into the WAR must be in it. */
class OpenApiDocumentTest {

    static final JsonObject DOC = OpenApiDocument.build();

    @Test
    void every_resource_method_of_the_code_is_in_the_document() throws Exception {
        var resources = resourceClasses();
        assertTrue(resources.size() >= 17, "found only " + resources);
        var missing = new TreeSet<String>();
        for (var resource : resources) {
            for (var m : resource.getMethods()) {
                var verb = OpenApiDocument.httpMethodOf(m);
                if (verb == null) {
                    assertTrue(m.getAnnotation(Path.class) == null, m + ": sub-resource locators are not described");
                    continue;
                }
                var path = OpenApiDocument.pathOf(resource, m);
                var item = DOC.getJsonObject("paths").getJsonObject(path);
                if (item == null || !item.containsKey(verb.toLowerCase(Locale.ROOT))) {
                    missing.add(verb + " " + path + " (" + resource.getSimpleName() + "." + m.getName() + ": add it to ApiOperations)");
                }
            }
        }
        assertEquals(new TreeSet<String>(), missing);
    }

    @Test
    void operation_ids_are_unique_and_named_for_clients() {
        var ids = new ArrayList<String>();
        DOC.getJsonObject("paths").values().forEach(item -> item.asJsonObject().values()
                .forEach(op -> ids.add(op.asJsonObject().getString("operationId"))));
        assertEquals(ApiOperations.ALL.size(), ids.size());
        assertEquals(ids.size(), new HashSet<>(ids).size(), "duplicate operationId in " + ids);
        assertEquals("listEnvironments", operation("/api/environments", "get").getString("operationId"));
        assertEquals("resyncBucket", operation("/api/deployments/{deploymentId}/resync", "post").getString("operationId"));
    }

    @Test
    void failures_are_problem_documents_and_the_codes_follow_the_method() {
        var resync = operation("/api/deployments/{deploymentId}/resync", "post").getJsonObject("responses");
        assertEquals(List.of("202", "400", "401", "403", "404", "409"), List.copyOf(resync.keySet()));
        assertEquals("#/components/schemas/RunStarted", resync.getJsonObject("202").getJsonObject("content")
                .getJsonObject("application/json").getJsonObject("schema").getString("$ref"));
        for (var code : List.of("400", "401", "403", "404", "409")) {
            assertEquals("#/components/schemas/Problem", resync.getJsonObject(code).getJsonObject("content")
                    .getJsonObject("application/problem+json").getJsonObject("schema").getString("$ref"), code);
        }
        // any role may list: no 403; no path id: no 404; no body or query: no 400
        var list = operation("/api/environments", "get").getJsonObject("responses");
        assertEquals(List.of("200", "401"), List.copyOf(list.keySet()));
        var deploy = operation("/api/environments/{envId}/deployments", "post").getJsonObject("responses");
        assertTrue(deploy.containsKey("200") && deploy.containsKey("201"), deploy.keySet().toString());
    }

    @Test
    void schemas_are_the_records_of_the_payloads() {
        var schemas = DOC.getJsonObject("components").getJsonObject("schemas");
        var view = schemas.getJsonObject("EnvironmentView").getJsonObject("properties");
        assertEquals(Arrays.stream(EnvironmentsResource.EnvironmentView.class.getRecordComponents()).map(c -> c.getName()).toList(),
                List.copyOf(view.keySet()));
        assertEquals("date-time", view.getJsonObject("createdAt").getString("format"));
        assertEquals("int64", view.getJsonObject("id").getString("format"));
        var problem = schemas.getJsonObject("Problem").getJsonObject("properties");
        assertEquals("#/components/schemas/FieldError", problem.getJsonObject("errors").getJsonObject("items").getString("$ref"));
        var body = operation("/api/environments", "post").getJsonObject("requestBody").getJsonObject("content")
                .getJsonObject("application/json").getJsonObject("schema");
        assertEquals("#/components/schemas/NewEnvironment", body.getString("$ref"));
        assertEquals("http", DOC.getJsonObject("components").getJsonObject("securitySchemes")
                .getJsonObject("basicAuth").getString("type"));
        assertEquals("Process Flow Retry", DOC.getJsonObject("info").getString("title"));
    }

    @Test
    void http_connections_show_their_limits_and_auth() {
        var schemas = DOC.getJsonObject("components").getJsonObject("schemas");
        var connection = schemas.getJsonObject("NewConnection").getJsonObject("properties");
        assertEquals("integer", connection.getJsonObject("maxConcurrency").getString("type"));
        assertEquals("number", connection.getJsonObject("requestsPerSecond").getString("type"));
        assertEquals("#/components/schemas/HttpAuth", connection.getJsonObject("auth").getString("$ref"));
        assertEquals(List.of("type", "username", "password", "token", "tokenUrl", "clientId", "clientSecret", "scope"),
                List.copyOf(schemas.getJsonObject("HttpAuth").getJsonObject("properties").keySet()));
        assertTrue(schemas.getJsonObject("ConnectionView").getJsonObject("properties").containsKey("requestTimeoutSeconds"));
    }

    /** Issue 12: the connection fields are in /openapi and in the README (each named in backticks or quotes there). */
    @Test
    void every_connection_field_is_in_the_document_and_named_in_the_readme() throws IOException {
        var schemas = DOC.getJsonObject("components").getJsonObject("schemas");
        var readme = Files.readString(java.nio.file.Path.of("README.md"));
        var fields = new ArrayList<String>();
        for (var record : List.of(io.flowretry.connectors.boundary.ConnectionsResource.NewConnection.class,
                io.flowretry.connectors.boundary.ConnectionsResource.ConnectionView.class,
                io.flowretry.connectors.entity.HttpAuth.class)) {
            var properties = schemas.getJsonObject(record.getSimpleName()).getJsonObject("properties").keySet();
            for (var component : record.getRecordComponents()) {
                assertTrue(properties.contains(component.getName()), record.getSimpleName() + "." + component.getName() + " in /openapi");
                fields.add(component.getName());
            }
        }
        assertTrue(schemas.getJsonObject("Source").getJsonObject("properties").containsKey("itemsPath"), "the HTTP source's itemsPath");
        fields.add("itemsPath");
        var missing = fields.stream().distinct()
                .filter(f -> !readme.contains("`" + f + "`") && !readme.contains("\"" + f + "\"")).toList();
        assertEquals(List.of(), missing, "connection fields the README does not name");
    }

    @Test
    void yaml_and_json_forms_are_valid_openapi_and_the_same_document() {
        var options = new ParseOptions();
        options.setResolve(true);
        var fromYaml = new OpenAPIV3Parser().readContents(Yaml.of(DOC), null, options);
        assertEquals(List.of(), fromYaml.getMessages());
        var fromJson = new OpenAPIV3Parser().readContents(DOC.toString(), null, options);
        assertEquals(List.of(), fromJson.getMessages());
        assertEquals(fromJson.getOpenAPI(), fromYaml.getOpenAPI());
        assertEquals(ApiOperations.ALL.size(), fromYaml.getOpenAPI().getPaths().values().stream()
                .mapToLong(p -> p.readOperations().size()).sum());
    }

    @Test
    void yaml_quotes_what_would_read_as_something_else() {
        assertEquals("\"200\"", Yaml.scalar("200"));
        assertEquals("\"true\"", Yaml.scalar("true"));
        assertEquals("\"a: b\"", Yaml.scalar("a: b"));
        assertEquals("/api/environments/{id}", Yaml.scalar("/api/environments/{id}"));
    }

    private static JsonObject operation(String path, String verb) {
        return DOC.getJsonObject("paths").getJsonObject(path).getJsonObject(verb);
    }

    /** Every class under io/flowretry in the compiled classes that carries {@code @Path}. */
    static List<Class<?>> resourceClasses() throws Exception {
        var root = java.nio.file.Path.of(OpenApiDocument.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        var found = new ArrayList<Class<?>>();
        try (var files = Files.walk(root.resolve("io/flowretry"))) {
            for (var f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                var name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                var c = Class.forName(name, false, OpenApiDocumentTest.class.getClassLoader());
                if (c.isAnnotationPresent(Path.class) && !Modifier.isAbstract(c.getModifiers())) {
                    found.add(c);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }
}
