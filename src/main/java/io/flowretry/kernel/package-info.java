/**
 * The shared vocabulary every business area may use and that depends on none: why a record failed
 * ({@code ErrorClass}), who may do what ({@code Roles}), and how a call is refused
 * ({@code InvalidInputException} with its {@code FieldError}s and {@code Validation}, {@code NotFoundException},
 * {@code ConflictException}: thrown by control, caught by the web layer, answered by the API). Rules: only types that several areas must agree on live here; nothing here
 * calls another area, so the areas' dependencies stay one way (docs/architecture.md).
 */
package io.flowretry.kernel;
