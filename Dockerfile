# Process Flow Retry on the official Payara Micro image of the same version as the build.
# Build the WAR first (./verify or: mvn -B package -DskipTests), then: docker build -t flowretry .
#
# Variables (all optional):
#   DB_URL, DB_USER, DB_PASSWORD, DB_DRIVER  the database; default an H2 file in /opt/payara/data.
#                                            PostgreSQL: DB_URL=jdbc:postgresql://host:5432/db
#                                            DB_DRIVER=org.postgresql.Driver
#   ADMIN_PASSWORD       password of the user admin created on the first start (else logged once)
#   DEMO_DATA            true: create the demo environment, apps and flow on an empty database
#   FLOWRETRY_DATA_DIR   folder of the H2 files and the batch job repository (a volume)
#   HTTP_ADDRESS         listener address; 0.0.0.0 in the container so the published port answers
#   HAZELCAST_INTERFACE, HAZELCAST_MEMBERS   clustering; loopback unless set (the container's own loopback:
#                        each container is a data grid of its own, bound to 127.0.0.1 only)
#
# WildFly instead (README, "WildFly"; a sketch, not built here: no Docker daemon on this machine): the same WAR
# on a WildFly 39 image with a JDK 21+, configured offline by
# the build's CLI scripts before the server starts, e.g.
#   FROM quay.io/wildfly/wildfly:39.0.1.Final-jdk21
#   COPY target/wildfly /opt/flowretry/target/wildfly
#   COPY target/lib /opt/flowretry/target/lib
#   RUN cd /opt/flowretry && /opt/jboss/wildfly/bin/jboss-cli.sh --file=target/wildfly/postgresql.cli \
#       && /opt/jboss/wildfly/bin/jboss-cli.sh --file=target/wildfly/health.cli \
#       && rm -rf /opt/jboss/wildfly/standalone/configuration/standalone_xml_history
#   COPY target/ROOT.war /opt/jboss/wildfly/standalone/deployments/
#   CMD ["/opt/jboss/wildfly/bin/standalone.sh", "-c", "standalone-full.xml", "-b", "0.0.0.0"]
# with DB_URL / DB_USER for the database and ADMIN_PASSWORD, DEMO_DATA, FLOWRETRY_DATA_DIR as below
# (HTTP_ADDRESS and the Hazelcast variables are Payara's; WildFly binds with -b).
FROM payara/micro:7.2026.11

ENV FLOWRETRY_DATA_DIR=/opt/payara/data \
    DB_URL=jdbc:h2:file:/opt/payara/data/flowretry \
    HTTP_ADDRESS=0.0.0.0 \
    DEMO_DATA=false

USER root
RUN mkdir -p /opt/payara/data /opt/payara/libs && chown -R payara:payara /opt/payara/data /opt/payara/libs
USER payara

COPY --chown=payara:payara domain.xml /opt/payara/config/domain.xml
COPY --chown=payara:payara docker-system.properties /opt/payara/config/system.properties
COPY --chown=payara:payara target/lib/postgresql-*.jar /opt/payara/libs/
COPY --chown=payara:payara target/ROOT.war /opt/payara/deployments/ROOT.war

VOLUME /opt/payara/data
EXPOSE 8080

CMD ["--domainconfig", "/opt/payara/config/domain.xml", \
     "--addlibs", "/opt/payara/libs", \
     "--clustermode", "tcpip:127.0.0.1:6900", "--interfaces", "127.0.0.1", \
     "--systemproperties", "/opt/payara/config/system.properties", \
     "--disablephonehome", \
     "--deploymentDir", "/opt/payara/deployments"]
