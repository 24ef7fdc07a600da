package io.flowretry.platform.boundary;

import io.flowretry.kernel.FieldError;
import io.flowretry.kernel.InvalidInputException;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Every request body, before JSON-B sees it: at most {@code FLOWRETRY_MAX_BODY_BYTES} (default 1 MiB)
 * or 413 without parsing, and each value of the JSON type its record component declares, or 400 naming
 * every offending field ({@code retry.intervalHours}, {@code headers.X-Key}, {@code itemIds[3]}). JSON-B
 * alone coerces: {@code "maybe"} became {@code false} and {@code 1.9} became {@code 1}. Members the record
 * does not have are left alone, so are {@code null}s (required fields are checked by the resources).
 */
@Provider
public class StrictJson implements ReaderInterceptor {

    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    static final long DISCARD_AT_MOST = 256L << 20;

    private final int maxBytes = maxBodyBytes();

    /** {@code FLOWRETRY_MAX_BODY_BYTES}: the largest request body, in bytes. */
    public static int maxBodyBytes() {
        return ConfigProvider.getConfig().getOptionalValue("FLOWRETRY_MAX_BODY_BYTES", Integer.class).orElse(DEFAULT_MAX_BODY_BYTES);
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        var body = readAtMost(context.getInputStream(), maxBytes);
        if (body.length > 0 && isJson(context)) {
            JsonValue json;
            try (var reader = Json.createReader(new ByteArrayInputStream(body))) {
                json = reader.readValue();
            }
            var errors = new ArrayList<FieldError>();
            check(json, context.getGenericType(), "", errors);
            if (!errors.isEmpty()) {
                throw new InvalidInputException(errors);
            }
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    private static boolean isJson(ReaderInterceptorContext context) {
        var type = context.getMediaType();
        return type == null || type.getSubtype().equals("json") || type.getSubtype().endsWith("+json");
    }

    static byte[] readAtMost(InputStream in, int max) throws IOException {
        var out = new ByteArrayOutputStream();
        var buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (out.size() + n > max) {
                discard(in);
                throw tooLarge(max);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * Reads and drops what is left of a refused body (at most {@value #DISCARD_AT_MOST} bytes, nothing is
     * kept): a server that answers while the client still sends makes the client lose the answer.
     */
    static void discard(InputStream in) {
        var buffer = new byte[8192];
        long dropped = 0;
        try {
            int n;
            while (dropped < DISCARD_AT_MOST && (n = in.read(buffer)) >= 0) {
                dropped += n;
            }
        } catch (IOException ignored) {
            // the client went away: nothing to answer
        }
    }

    static BodyTooLargeException tooLarge(int max) {
        return new BodyTooLargeException(max);
    }

    /** Adds an error for every value in {@code value} whose JSON type does not fit {@code type}. */
    static void check(JsonValue value, Type type, String path, List<FieldError> errors) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return;
        }
        var raw = raw(type);
        if (raw == null || raw == Object.class || JsonValue.class.isAssignableFrom(raw)) {
            return;
        }
        var field = path.isEmpty() ? "body" : path;
        var kind = value.getValueType();
        if (raw == String.class || raw.isEnum() || Temporal.class.isAssignableFrom(raw) || raw == java.time.ZoneId.class) {
            expect(kind == JsonValue.ValueType.STRING, field, "must be a text (in double quotes)", errors);
        } else if (raw == Boolean.class || raw == boolean.class) {
            expect(kind == JsonValue.ValueType.TRUE || kind == JsonValue.ValueType.FALSE, field, "must be true or false", errors);
        } else if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class
                || raw == Short.class || raw == short.class || raw == BigInteger.class) {
            expect(kind == JsonValue.ValueType.NUMBER && fits((JsonNumber) value, raw), field,
                    kind == JsonValue.ValueType.NUMBER ? "must be a whole number in range" : "must be a number (without quotes)", errors);
        } else if (Number.class.isAssignableFrom(raw) || raw == double.class || raw == float.class || raw == BigDecimal.class) {
            expect(kind == JsonValue.ValueType.NUMBER, field, "must be a number (without quotes)", errors);
        } else if (Map.class.isAssignableFrom(raw)) {
            if (expect(kind == JsonValue.ValueType.OBJECT, field, "must be an object", errors)) {
                var valueType = argument(type, 1);
                ((JsonObject) value).forEach((k, v) -> check(v, valueType, join(path, k), errors));
            }
        } else if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
            if (expect(kind == JsonValue.ValueType.ARRAY, field, "must be a list", errors)) {
                var elementType = raw.isArray() ? element(type, raw) : argument(type, 0);
                var array = (JsonArray) value;
                for (int i = 0; i < array.size(); i++) {
                    check(array.get(i), elementType, field + "[" + i + "]", errors);
                }
            }
        } else if (raw.isRecord()) {
            if (expect(kind == JsonValue.ValueType.OBJECT, field, "must be an object", errors)) {
                var object = (JsonObject) value;
                for (RecordComponent component : raw.getRecordComponents()) {
                    var name = propertyName(component);
                    if (object.containsKey(name)) {
                        check(object.get(name), component.getGenericType(), join(path, name), errors);
                    }
                }
            }
        }
    }

    private static boolean expect(boolean ok, String field, String message, List<FieldError> errors) {
        if (!ok) {
            errors.add(new FieldError(field, message));
        }
        return ok;
    }

    private static boolean fits(JsonNumber number, Class<?> raw) {
        if (!number.isIntegral()) {
            return false;
        }
        var value = number.bigDecimalValue();
        if (raw == BigInteger.class) {
            return true;
        }
        long min = raw == Integer.class || raw == int.class ? Integer.MIN_VALUE : raw == Short.class || raw == short.class ? Short.MIN_VALUE : Long.MIN_VALUE;
        long max = raw == Integer.class || raw == int.class ? Integer.MAX_VALUE : raw == Short.class || raw == short.class ? Short.MAX_VALUE : Long.MAX_VALUE;
        return value.compareTo(BigDecimal.valueOf(min)) >= 0 && value.compareTo(BigDecimal.valueOf(max)) <= 0;
    }

    private static String propertyName(RecordComponent component) {
        var property = component.getAnnotation(JsonbProperty.class);
        if (property == null && component.getAccessor() != null) {
            property = component.getAccessor().getAnnotation(JsonbProperty.class);
        }
        return property != null && !property.value().isEmpty() ? property.value() : component.getName();
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        if (type instanceof GenericArrayType) {
            return Object[].class;
        }
        return null;
    }

    private static Type argument(Type type, int index) {
        return type instanceof ParameterizedType p && p.getActualTypeArguments().length > index ? p.getActualTypeArguments()[index] : Object.class;
    }

    private static Type element(Type type, Class<?> raw) {
        return type instanceof GenericArrayType g ? g.getGenericComponentType() : raw.getComponentType();
    }
}
