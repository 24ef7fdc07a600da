package io.flowretry.platform.control;

/**
 * The one name the code, persistence.xml and the identity store use for the application's
 * database. It is a resource reference the WAR declares (web.xml) and each server maps to its own
 * data source: Payara to domain.xml's pool {@code jdbc/flowretry} (payara-web.xml), WildFly to
 * {@code java:/jdbc/flowretry} (jboss-web.xml). A bare global name is not portable:
 * WildFly resolves {@code jdbc/flowretry} under {@code java:comp/env}.
 */
public final class AppDataSource {

    public static final String NAME = "java:app/jdbc/flowretry";

    private AppDataSource() {
    }
}
