package io.flowretry.connectors.entity;

/** The kind of app a connection reaches: a database over JDBC or an HTTP (JSON) API. */
public enum ConnectionType {
    JDBC,
    HTTP
}
