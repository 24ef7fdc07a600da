package io.flowretry.platform.boundary;

import java.util.List;

/** The three roles of the contract: admin does everything, operator executes and resyncs, viewer reads. */
public final class Roles {
    public static final String ADMIN = "admin";
    public static final String OPERATOR = "operator";
    public static final String VIEWER = "viewer";
    public static final List<String> ALL = List.of(ADMIN, OPERATOR, VIEWER);

    private Roles() {
    }
}
