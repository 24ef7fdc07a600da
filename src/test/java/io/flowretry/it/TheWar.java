package io.flowretry.it;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;

/** The WAR that {@code mvn package} built: every IT deploys exactly that, never a hand-listed archive. */
public final class TheWar {

    private TheWar() {
    }

    public static WebArchive built() {
        var war = new File(System.getProperty("flowretry.war", "target/ROOT.war"));
        if (!war.isFile()) {
            throw new IllegalStateException(war + " is missing: run the ITs through 'mvn verify'");
        }
        return ShrinkWrap.create(ZipImporter.class, "ROOT.war").importFrom(war).as(WebArchive.class);
    }
}
