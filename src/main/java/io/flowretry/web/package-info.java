/**
 * The operators' console: Faces pages (under {@code src/main/webapp/<area>/}) and their backing beans
 * ({@code io.flowretry.web.<area>.*Backing}). Rules: backing beans call the areas' facades directly
 * (the ones the REST resources call, so the console and the API share one piece of code), never the
 * REST API and never an area's {@code control} (ArchitectureTest): what they pass and read are the
 * areas' entity and kernel values; every change is a postback (CSRF-safe server-side view state) and checks the
 * caller's role on the server, not only by hiding the button; output is escaped (no {@code escape="false"}).
 */
package io.flowretry.web;
