package io.flowretry.openapi.boundary;

import jakarta.annotation.security.RolesAllowed;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.MatrixParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the OpenAPI 3.0 document from the resource methods named in {@link ApiOperations}: the path,
 * method, parameters and the request and response schemas come from the code (records become
 * component schemas), so they cannot drift from it; the table adds ids, summaries and status codes.
 */
public final class OpenApiDocument {

    public static final String API_ROOT = "/api";
    static final String PROBLEM_JSON = "application/problem+json";
    private static final Map<Integer, String> REASONS = Map.of(
            200, "OK", 201, "Created", 202, "Accepted", 204, "No content",
            400, "Invalid input: the problem names each field in errors[]", 401, "Not signed in",
            403, "The caller's role may not do this", 404, "Unknown id",
            409, "Conflicts with the current state", 413, "Body over 1 MiB");

    private final Map<Class<?>, String> schemaNames = new HashMap<>();
    private final Map<String, JsonObject> schemas = new TreeMap<>();

    private OpenApiDocument() {
    }

    public static JsonObject build() {
        return new OpenApiDocument().document(ApiOperations.ALL);
    }

    /** The method of the resource class that serves an operation: exactly one public method of that name. */
    public static Method method(ApiOperations.Operation op) {
        var found = Arrays.stream(op.resource().getMethods()).filter(m -> m.getName().equals(op.method())).toList();
        if (found.size() != 1) {
            throw new IllegalStateException(op.resource().getName() + " has " + found.size() + " methods " + op.method());
        }
        return found.getFirst();
    }

    /** {@code /api/...} with the path template of the class and the method, e.g. {@code /api/environments/{id}}. */
    public static String pathOf(Class<?> resource, Method method) {
        var path = new StringBuilder(API_ROOT);
        for (var p : new Path[]{resource.getAnnotation(Path.class), method.getAnnotation(Path.class)}) {
            if (p != null) {
                for (var segment : p.value().split("/")) {
                    if (!segment.isBlank()) {
                        path.append('/').append(segment.replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}"));
                    }
                }
            }
        }
        return path.toString();
    }

    /** GET, POST, ... of a resource method, or null for a method that serves no request. */
    public static String httpMethodOf(Method method) {
        for (var a : method.getAnnotations()) {
            var http = a.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private JsonObject document(List<ApiOperations.Operation> operations) {
        var paths = new TreeMap<String, JsonObjectBuilder>();
        var ids = new TreeSet<String>();
        for (var op : operations) {
            if (!ids.add(op.operationId())) {
                throw new IllegalStateException("operationId " + op.operationId() + " twice");
            }
            var m = method(op);
            var verb = httpMethodOf(m);
            if (verb == null) {
                throw new IllegalStateException(m + " is no resource method");
            }
            paths.computeIfAbsent(pathOf(op.resource(), m), p -> Json.createObjectBuilder())
                    .add(verb.toLowerCase(java.util.Locale.ROOT), operation(op, m, verb));
        }
        var pathsObject = Json.createObjectBuilder();
        paths.forEach(pathsObject::add);
        schemaRef(io.flowretry.platform.boundary.Problem.class);
        var components = Json.createObjectBuilder();
        schemas.forEach(components::add);
        return Json.createObjectBuilder()
                .add("openapi", "3.0.3")
                .add("info", Json.createObjectBuilder()
                        .add("title", "Process Flow Retry")
                        .add("version", ApiOperations.VERSION)
                        .add("description", ApiOperations.DESCRIPTION))
                .add("servers", Json.createArrayBuilder().add(Json.createObjectBuilder().add("url", "/")))
                .add("security", Json.createArrayBuilder().add(Json.createObjectBuilder().add("basicAuth", JsonValue.EMPTY_JSON_ARRAY)))
                .add("tags", tags(operations))
                .add("paths", pathsObject)
                .add("components", Json.createObjectBuilder()
                        .add("securitySchemes", Json.createObjectBuilder().add("basicAuth", Json.createObjectBuilder()
                                .add("type", "http").add("scheme", "basic")
                                .add("description", "The users of the console; roles admin, operator, viewer")))
                        .add("schemas", components))
                .build();
    }

    private static jakarta.json.JsonArrayBuilder tags(List<ApiOperations.Operation> operations) {
        var tags = new TreeSet<String>();
        operations.forEach(op -> tags.add(tag(op.resource())));
        var array = Json.createArrayBuilder();
        tags.forEach(t -> array.add(Json.createObjectBuilder().add("name", t)));
        return array;
    }

    /** The business area of a resource: io.flowretry.AREA.boundary. */
    static String tag(Class<?> resource) {
        var parts = resource.getPackageName().split("\\.");
        return parts.length > 2 ? parts[2] : resource.getPackageName();
    }

    private JsonObject operation(ApiOperations.Operation op, Method m, String verb) {
        var roles = roles(op.resource(), m);
        var o = Json.createObjectBuilder()
                .add("operationId", op.operationId())
                .add("summary", op.summary())
                .add("description", op.summary() + ". Roles: " + String.join(", ", roles) + ".")
                .add("tags", Json.createArrayBuilder().add(tag(op.resource())));
        var parameters = Json.createArrayBuilder();
        Type body = null;
        boolean hasPathParam = false;
        boolean hasQuery = false;
        var types = m.getGenericParameterTypes();
        var annotations = m.getParameterAnnotations();
        for (int i = 0; i < types.length; i++) {
            var in = parameterIn(annotations[i]);
            if (in == null) {
                body = types[i];
            } else if (!in[0].isEmpty()) {
                hasPathParam |= in[0].equals("path");
                hasQuery |= in[0].equals("query");
                parameters.add(Json.createObjectBuilder().add("name", in[1]).add("in", in[0])
                        .add("required", in[0].equals("path")).add("schema", schema(types[i])));
            }
        }
        var params = parameters.build();
        if (!params.isEmpty()) {
            o.add("parameters", params);
        }
        if (body != null) {
            o.add("requestBody", Json.createObjectBuilder().add("required", true)
                    .add("content", Json.createObjectBuilder().add("application/json",
                            Json.createObjectBuilder().add("schema", schema(body)))));
        }
        var responses = new TreeMap<String, JsonObject>();
        Type returns = m.getReturnType() == Response.class ? op.returns() : m.getGenericReturnType();
        var successes = new TreeSet<Integer>(op.codes().stream().filter(c -> c < 400).toList());
        successes.add(op.status());
        for (int code : successes) {
            var success = Json.createObjectBuilder().add("description", REASONS.getOrDefault(code, "Success"));
            if (returns != null && returns != void.class) {
                success.add("content", Json.createObjectBuilder().add("application/json",
                        Json.createObjectBuilder().add("schema", schema(returns))));
            }
            responses.put(String.valueOf(code), success.build());
        }
        var errors = new TreeSet<Integer>(op.codes().stream().filter(c -> c >= 400).toList());
        errors.add(401);
        if (!roles.containsAll(io.flowretry.kernel.Roles.ALL)) {
            errors.add(403);
        }
        if (hasPathParam) {
            errors.add(404);
        }
        if (body != null || hasQuery) {
            errors.add(400);
        }
        for (int code : errors) {
            responses.put(String.valueOf(code), problem(code));
        }
        var r = Json.createObjectBuilder();
        responses.forEach(r::add);
        return o.add("responses", r).build();
    }

    private JsonObject problem(int code) {
        return Json.createObjectBuilder().add("description", REASONS.getOrDefault(code, "Failure"))
                .add("content", Json.createObjectBuilder().add(PROBLEM_JSON,
                        Json.createObjectBuilder().add("schema", schemaRef(io.flowretry.platform.boundary.Problem.class))))
                .build();
    }

    /** {in, name} of a JAX-RS parameter, {"", ""} for an injected one, null for the request body. */
    private static String[] parameterIn(java.lang.annotation.Annotation[] annotations) {
        for (var a : annotations) {
            if (a instanceof PathParam p) {
                return new String[]{"path", p.value()};
            }
            if (a instanceof QueryParam q) {
                return new String[]{"query", q.value()};
            }
            if (a instanceof HeaderParam h) {
                return new String[]{"header", h.value()};
            }
            if (a instanceof CookieParam c) {
                return new String[]{"cookie", c.value()};
            }
            if (a instanceof Context || a instanceof BeanParam || a instanceof FormParam || a instanceof MatrixParam) {
                return new String[]{"", ""};
            }
        }
        return null;
    }

    /** The roles that may call the method: its own {@code @RolesAllowed}, else its class's, else every role. */
    static List<String> roles(Class<?> resource, Method m) {
        var allowed = m.getAnnotation(RolesAllowed.class);
        if (allowed == null) {
            allowed = resource.getAnnotation(RolesAllowed.class);
        }
        return allowed == null ? io.flowretry.kernel.Roles.ALL : List.of(allowed.value());
    }

    JsonObject schema(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            if (Collection.class.isAssignableFrom(raw)) {
                return Json.createObjectBuilder().add("type", "array").add("items", schema(p.getActualTypeArguments()[0])).build();
            }
            if (Map.class.isAssignableFrom(raw)) {
                return Json.createObjectBuilder().add("type", "object")
                        .add("additionalProperties", schema(p.getActualTypeArguments()[1])).build();
            }
            return schema(raw);
        }
        if (!(type instanceof Class<?> c)) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        if (c == String.class || c == char.class || c == Character.class) {
            return simple("string", null);
        }
        if (c == int.class || c == Integer.class || c == short.class || c == Short.class) {
            return simple("integer", "int32");
        }
        if (c == long.class || c == Long.class) {
            return simple("integer", "int64");
        }
        if (c == boolean.class || c == Boolean.class) {
            return simple("boolean", null);
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class || Number.class.isAssignableFrom(c)) {
            return simple("number", null);
        }
        if (c == Instant.class || c == OffsetDateTime.class) {
            return simple("string", "date-time");
        }
        if (c == LocalDate.class) {
            return simple("string", "date");
        }
        if (c.isEnum()) {
            var values = Json.createArrayBuilder();
            Arrays.stream(c.getEnumConstants()).forEach(e -> values.add(((Enum<?>) e).name()));
            return Json.createObjectBuilder().add("type", "string").add("enum", values).build();
        }
        if (jakarta.json.JsonObject.class.isAssignableFrom(c) || (Map.class.isAssignableFrom(c))) {
            return Json.createObjectBuilder().add("type", "object").add("additionalProperties", true).build();
        }
        if (c.isArray()) {
            return Json.createObjectBuilder().add("type", "array").add("items", schema(c.getComponentType())).build();
        }
        if (Collection.class.isAssignableFrom(c)) {
            return Json.createObjectBuilder().add("type", "array").add("items", JsonValue.EMPTY_JSON_OBJECT).build();
        }
        if (c.isRecord()) {
            return schemaRef(c);
        }
        // Object, JsonValue: any JSON value
        return JsonValue.EMPTY_JSON_OBJECT;
    }

    private static JsonObject simple(String type, String format) {
        var b = Json.createObjectBuilder().add("type", type);
        if (format != null) {
            b.add("format", format);
        }
        return b.build();
    }

    /** A record as a component schema; named by its simple name, or Outer+Simple where two records share one. */
    private JsonObject schemaRef(Class<?> record) {
        var name = schemaNames.get(record);
        if (name == null) {
            name = record.getSimpleName();
            if (schemaNames.containsValue(name) && record.getEnclosingClass() != null) {
                name = record.getEnclosingClass().getSimpleName() + name;
            }
            schemaNames.put(record, name);
            schemas.put(name, JsonValue.EMPTY_JSON_OBJECT); // a placeholder: records may refer to themselves
            var properties = Json.createObjectBuilder();
            for (RecordComponent rc : record.getRecordComponents()) {
                properties.add(rc.getName(), schema(rc.getGenericType()));
            }
            schemas.put(name, Json.createObjectBuilder().add("type", "object").add("properties", properties).build());
        }
        return Json.createObjectBuilder().add("$ref", "#/components/schemas/" + name).build();
    }
}
